using LabNet.FlowCollector.Decoding;
using LabNet.FlowCollector.Metrics;
using LabNet.FlowCollector.Query;
using LabNet.FlowCollector.Traffic;

namespace LabNet.FlowCollector.Flows;

/// <summary>Where every source (relay stream, JSON lines) delivers decoded flows: metrics, and the views built on flows.</summary>
public sealed class FlowPipeline(
    HubbleMetrics metrics, TrafficRecorder? traffic = null, FlowRingBuffer? flows = null, HttpFlowSpans? spans = null)
{
    public FlowAggregator Aggregator => metrics.Aggregator;

    public void Process(FlowRecord flow, string cluster)
    {
        metrics.Record(flow, cluster);
        traffic?.Record(flow);
        spans?.Record(flow);
    }

    /// <summary>A flow from a relay: also kept, as its GetFlowsResponse bytes, for the flow query API.</summary>
    public void Process(FlowRecord flow, string cluster, byte[] getFlowsResponse)
    {
        Process(flow, cluster);
        flows?.Add(getFlowsResponse);
    }

    public void ProcessLostEvents(LostEventsRecord lost) => metrics.Aggregator.AddLostEvents(lost.Source, lost.Count);

    public void CountMalformedLine() => metrics.Aggregator.CountMalformedLine();

    public void CountUndecodableFlow() => metrics.Aggregator.CountUndecodableFlow();
}
