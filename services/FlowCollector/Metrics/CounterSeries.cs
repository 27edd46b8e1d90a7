namespace LabNet.FlowCollector.Metrics;

/// <summary>One exported counter series: its label values (in the metric's label order) and its value.</summary>
public sealed record CounterSeries(MetricContext Context, IReadOnlyList<KeyValuePair<string, string>> Labels, long Value)
{
    public string? Label(string name)
    {
        foreach (var (key, value) in Labels)
        {
            if (key == name)
            {
                return value;
            }
        }

        return Context switch
        {
            _ when name == "cluster" => Context.Cluster,
            _ when name == "source_namespace" => Context.SourceNamespace,
            _ when name == "source_workload" => Context.SourceWorkload,
            _ when name == "destination_namespace" => Context.DestinationNamespace,
            _ when name == "destination_workload" => Context.DestinationWorkload,
            _ when name == "destination_version" => Context.DestinationVersion,
            _ => null,
        };
    }
}
