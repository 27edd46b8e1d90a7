namespace LabNet.Simulator.Kubernetes;

/// <summary>How a write was asked for: <c>?dryRun=All</c>, <c>?fieldValidation=</c>, <c>?fieldManager=</c>.</summary>
public sealed record WriteOptions(bool DryRun = false, FieldValidation FieldValidation = FieldValidation.Warn, string? FieldManager = null)
{
    public static WriteOptions Default { get; } = new();

    /// <summary>Warnings for the response's <c>Warning</c> headers (unknown fields dropped under Warn).</summary>
    public List<string> Warnings { get; } = [];
}

public enum FieldValidation
{
    Ignore,
    Warn,
    Strict,
}
