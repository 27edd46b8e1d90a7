namespace LabNet.Provisioner.Spec;

/// <summary>One thing wrong with a lab spec: where (file and JSON path), what, and how to fix it.</summary>
public sealed record SpecProblem(string File, string JsonPath, string Message, string Fix)
{
    public override string ToString() => $"{File}: {JsonPath}: {Message} Fix: {Fix}";
}
