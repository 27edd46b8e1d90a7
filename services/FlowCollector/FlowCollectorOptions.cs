using System.ComponentModel.DataAnnotations;

namespace LabNet.FlowCollector;

/// <summary>The <c>FlowCollector</c> configuration section.</summary>
public sealed class FlowCollectorOptions
{
    public const string SectionName = "FlowCollector";

    /// <summary>
    /// Cap on distinct metric contexts (cluster x namespaces x workloads x version). Past it, flows of new contexts are
    /// counted under the <c>other</c> context, so exported series stay bounded.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxMetricContexts { get; set; } = Metrics.FlowAggregator.DefaultMaxContexts;
}
