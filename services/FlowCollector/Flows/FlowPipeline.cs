using LabNet.FlowCollector.Decoding;
using LabNet.FlowCollector.Metrics;
using LabNet.FlowCollector.Traffic;

namespace LabNet.FlowCollector.Flows;

/// <summary>Where every source (relay stream, JSON lines) delivers decoded flows: metrics, and the views built on flows.</summary>
public sealed class FlowPipeline(HubbleMetrics metrics, TrafficRecorder? traffic = null)
{
    public FlowAggregator Aggregator => metrics.Aggregator;

    public void Process(FlowRecord flow, string cluster)
    {
        metrics.Record(flow, cluster);
        traffic?.Record(flow);
    }

    public void ProcessLostEvents(LostEventsRecord lost) => metrics.Aggregator.AddLostEvents(lost.Source, lost.Count);

    public void CountMalformedLine() => metrics.Aggregator.CountMalformedLine();

    public void CountUndecodableFlow() => metrics.Aggregator.CountUndecodableFlow();
}
