namespace LabNet.FlowCollector.Tests.Support;

/// <summary>
/// OpenTelemetry's listener sees every meter in the process, whichever DI container created it. Tests that read the
/// exported metrics run alone, so that pipelines of tests running in parallel cannot add to what they read.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessWideMetricsCollection
{
    public const string Name = "Process-wide metrics";
}
