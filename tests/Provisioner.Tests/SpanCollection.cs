namespace LabNet.Provisioner.Tests;

/// <summary>
/// Activity listeners hear every span in the process: tests that count spans run alone, not beside tests whose
/// provisioning produces spans of the same source.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SpanCollection
{
    public const string Name = "Spans";
}
