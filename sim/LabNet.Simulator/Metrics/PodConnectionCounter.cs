using LabNet.Hubble.FlowApi;
using LabNet.Hubble.ObserverApi;
using LabNet.Simulator.Hubble.Relay;

namespace LabNet.Simulator.Metrics;

/// <summary>
/// The connections each pod served and opened, read from what the cluster's Hubble servers recorded: every forwarded
/// connection has one "new" trace event (its first packet) with both endpoints. Reading from the node rings keeps
/// the count true to all traffic, whatever produced it (the generator, a curl in a pod, background flows).
/// </summary>
public sealed class PodConnectionCounter
{
    private readonly Dictionary<string, long> _positions = new(StringComparer.Ordinal);
    private readonly List<GetFlowsResponse> _buffer = new(4096);

    /// <summary>Connections since the previous call, by pod (<c>namespace/name</c>): (served, opened).</summary>
    public Dictionary<string, (long Served, long Opened)> ReadNew(HubbleClusterFlows? flows)
    {
        var counts = new Dictionary<string, (long Served, long Opened)>(StringComparer.Ordinal);
        if (flows is null)
        {
            return counts;
        }

        foreach (var ring in flows.Rings)
        {
            var position = _positions.GetValueOrDefault(ring.NodeName);
            while (true)
            {
                _buffer.Clear();
                var (next, _) = ring.ReadFrom(position, _buffer, 4096);
                position = next;
                foreach (var e in _buffer)
                {
                    Count(e.Flow, counts);
                }

                if (_buffer.Count < 4096)
                {
                    break;
                }
            }

            _positions[ring.NodeName] = position;
        }

        return counts;
    }

    private static void Count(Flow? flow, Dictionary<string, (long Served, long Opened)> counts)
    {
        if (flow is not { TraceReason: TraceReason.New, IsReply: false, Verdict: Verdict.Forwarded })
        {
            return;
        }

        if (Key(flow.Destination) is { } destination)
        {
            var c = counts.GetValueOrDefault(destination);
            counts[destination] = (c.Served + 1, c.Opened);
        }

        if (Key(flow.Source) is { } source)
        {
            var c = counts.GetValueOrDefault(source);
            counts[source] = (c.Served, c.Opened + 1);
        }
    }

    private static string? Key(LabNet.Hubble.FlowApi.Endpoint? endpoint) =>
        string.IsNullOrEmpty(endpoint?.PodName) ? null : $"{endpoint.Namespace}/{endpoint.PodName}";
}
