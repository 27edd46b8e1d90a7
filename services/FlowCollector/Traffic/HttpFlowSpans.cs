using System.Diagnostics;
using LabNet.FlowCollector.Flows;
using LabNet.FlowCollector.Metrics;

namespace LabNet.FlowCollector.Traffic;

/// <summary>
/// Turns a sample of HTTP response flows into spans (ActivitySource <c>LabNet.FlowCollector</c>) that cover the
/// request: they end at the response's time and last its latency, with the method, the status and
/// the workloads on both sides. Costs nothing for unsampled flows or when nobody listens, so ingestion is not slowed.
/// </summary>
public sealed class HttpFlowSpans(int sampleOneIn)
{
    public const string SourceName = "LabNet.FlowCollector";

    private static readonly ActivitySource Source = new(SourceName);

    private long _responses;

    public void Record(FlowRecord flow)
    {
        if (sampleOneIn <= 0 || flow.L7 != L7Protocol.HTTP || flow.L7Type != HubbleLabels.L7Response
            || Interlocked.Increment(ref _responses) % sampleOneIn != 0 || !Source.HasListeners() || flow.TimeUnixNanos == 0)
        {
            return;
        }

        var end = DateTimeOffset.UnixEpoch.AddTicks(flow.TimeUnixNanos / 100);
        var start = end - TimeSpan.FromTicks(flow.LatencyNs / 100);

        // A response flows from the server: the request went from its destination to its source.
        var client = flow.Destination;
        var server = flow.Source;
        using var activity = Source.StartActivity($"{flow.HttpMethod} {Name(server)}", ActivityKind.Server, parentContext: default, startTime: start);
        if (activity is null)
        {
            return;
        }

        activity.SetTag("http.request.method", flow.HttpMethod);
        activity.SetTag("http.response.status_code", flow.HttpCode);
        activity.SetTag("network.protocol.name", "http");
        activity.SetTag("hubble.reporter", HubbleLabels.ReporterName(HubbleLabels.ReporterCode(flow.TrafficDirection)));
        activity.SetTag("hubble.node_name", flow.NodeName);
        activity.SetTag("source.namespace", client.Namespace);
        activity.SetTag("source.workload", Name(client));
        activity.SetTag("destination.namespace", server.Namespace);
        activity.SetTag("destination.workload", Name(server));
        activity.SetTag("destination.version", server.Version);
        if (flow.HttpCode >= 500)
        {
            activity.SetStatus(ActivityStatusCode.Error);
        }

        activity.SetEndTime(end.UtcDateTime);
    }

    private static string Name(FlowEndpoint endpoint) => endpoint.Workload.Length > 0 ? endpoint.Workload : endpoint.App;
}
