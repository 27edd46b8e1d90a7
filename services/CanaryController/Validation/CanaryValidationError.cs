namespace LabNet.CanaryController.Validation;

/// <summary>One thing wrong with a Canary: the field (as a JSON path under the resource), a reason and a message with the fix.</summary>
public sealed record CanaryValidationError(string Field, string Reason, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}
