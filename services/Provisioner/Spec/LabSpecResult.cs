namespace LabNet.Provisioner.Spec;

/// <summary>A lab spec that passed every check, or every problem it has (never a partly valid spec).</summary>
public sealed record LabSpecResult(LabSpec? Spec, IReadOnlyList<SpecProblem> Problems)
{
    public bool IsValid => Spec is not null && Problems.Count == 0;

    public static LabSpecResult Valid(LabSpec spec) => new(spec, []);

    public static LabSpecResult Invalid(IReadOnlyList<SpecProblem> problems) => new(null, problems);
}
