using System.ComponentModel.DataAnnotations;

namespace LabNet.Simulator.Metrics;

/// <summary>Section <c>Simulator:Metrics</c>: how often the twin's metrics-server scrapes (its <c>--metric-resolution</c>).</summary>
public sealed class ResourceMetricsOptions
{
    public const string SectionName = "Simulator:Metrics";

    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan MetricResolution { get; set; } = TimeSpan.FromSeconds(15);
}
