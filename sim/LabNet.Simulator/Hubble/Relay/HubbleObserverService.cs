using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using LabNet.Hubble.Filters;
using LabNet.Hubble.FlowApi;
using LabNet.Hubble.ObserverApi;
using LabNet.Hubble.RelayApi;
using Endpoint = LabNet.Hubble.FlowApi.Endpoint;

namespace LabNet.Simulator.Hubble.Relay;

/// <summary>
/// hubble-relay's <c>observer.Observer</c> API over one cluster's node ring buffers: GetFlows (history, follow, time
/// bounds, whitelist/blacklist, lost events for readers that fall a ring behind), ServerStatus, GetNodes, GetNamespaces.
/// </summary>
public sealed class HubbleObserverService(HubbleClusterFlows cluster, TimeProvider time) : Observer.ObserverBase
{
    public const string Version = "1.19.4";

    // How many events a follower takes from one node per pass before yielding to the others.
    private const int FollowBatch = 1024;

    private const int FlushEvery = 64;

    public override async Task GetFlows(GetFlowsRequest request, IServerStreamWriter<GetFlowsResponse> responseStream, ServerCallContext context)
    {
        Validate(request);
        var whitelist = request.Whitelist;
        var blacklist = request.Blacklist;
        var since = request.Since?.ToDateTimeOffset();
        var until = request.Until?.ToDateTimeOffset();
        var rings = cluster.Rings;
        var cursors = new Dictionary<NodeFlowRing, long>();
        var ct = context.CancellationToken;

        // Followers without a start time get new flows only (hubble observe -f).
        var history = !(request.Follow && since is null && request.Number == 0);
        var selected = new List<GetFlowsResponse>();
        foreach (var ring in rings)
        {
            var (events, next) = ring.Snapshot();
            cursors[ring] = next;
            if (!history)
            {
                continue;
            }

            var matching = events.Where(e => InRange(e, since, until) && FlowFilterMatcher.Matches(e.Flow, whitelist, blacklist));

            // Like the relay: the number applies to each node's server, then the results are merged by time.
            if (request.Number > 0)
            {
                var n = (int)Math.Min(request.Number, int.MaxValue);
                matching = request.First ? matching.Take(n) : matching.TakeLast(n);
            }

            selected.AddRange(matching);
        }

        // Headers go out once the stream's starting point is fixed: a follower knows it will miss nothing from here on.
        await context.WriteResponseHeadersAsync(new Metadata { { "hubble-relay-version", Version } });
        selected.Sort(static (a, b) => a.Time.CompareTo(b.Time));
        await WriteAllAsync(responseStream, selected, ct);

        if (!request.Follow)
        {
            return;
        }

        var batch = new List<GetFlowsResponse>(FollowBatch);
        var outgoing = new List<GetFlowsResponse>(FollowBatch);
        while (!ct.IsCancellationRequested)
        {
            var published = cluster.NextPublish;
            var any = false;
            var ended = false;
            outgoing.Clear();
            foreach (var ring in cluster.Rings)
            {
                var position = cursors.GetValueOrDefault(ring);
                batch.Clear();
                var (next, lost) = ring.ReadFrom(position, batch, FollowBatch);
                cursors[ring] = next;
                any |= batch.Count > 0 || lost > 0;
                if (lost > 0)
                {
                    outgoing.Add(LostEvents(ring.NodeName, lost));
                }

                foreach (var e in batch)
                {
                    if (until is not null && e.Time.ToDateTimeOffset() > until)
                    {
                        ended = true;
                        break;
                    }

                    if ((since is null || e.Time.ToDateTimeOffset() >= since) && FlowFilterMatcher.Matches(e.Flow, whitelist, blacklist))
                    {
                        outgoing.Add(e);
                    }
                }
            }

            await WriteAllAsync(responseStream, outgoing, ct);
            if (ended)
            {
                return;
            }

            if (!any)
            {
                await published.WaitAsync(ct).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }
    }

    public override Task<ServerStatusResponse> ServerStatus(ServerStatusRequest request, ServerCallContext context)
    {
        var rings = cluster.Rings;
        var now = time.GetUtcNow();
        var minuteAgo = Timestamp.FromDateTimeOffset(now.AddMinutes(-1));
        long lastMinute = 0;
        foreach (var ring in rings)
        {
            lastMinute += ring.Snapshot().Events.Count(e => e.Time >= minuteAgo);
        }

        return Task.FromResult(new ServerStatusResponse
        {
            NumFlows = (ulong)rings.Sum(r => r.Count),
            MaxFlows = (ulong)rings.Sum(r => (long)r.Capacity),
            SeenFlows = (ulong)rings.Sum(r => r.Written),
            UptimeNs = (ulong)Math.Max(0, (now - cluster.StartedAt).Ticks * 100),
            NumConnectedNodes = (uint)rings.Count,
            NumUnavailableNodes = 0,
            Version = Version,
            FlowsRate = lastMinute / 60.0,
        });
    }

    public override Task<GetNodesResponse> GetNodes(GetNodesRequest request, ServerCallContext context)
    {
        var uptime = (ulong)Math.Max(0, (time.GetUtcNow() - cluster.StartedAt).Ticks * 100);
        var response = new GetNodesResponse();
        foreach (var ring in cluster.Rings)
        {
            response.Nodes.Add(new Node
            {
                Name = ring.NodeName,
                Version = Version,
                State = NodeState.NodeConnected,
                Tls = new TLS { Enabled = true, ServerName = $"{ring.NodeName[(ring.NodeName.IndexOf('/') + 1)..]}.{cluster.ClusterName}.hubble-grpc.cilium.io" },
                UptimeNs = uptime,
                NumFlows = (ulong)ring.Count,
                MaxFlows = (ulong)ring.Capacity,
                SeenFlows = (ulong)ring.Written,
            });
        }

        return Task.FromResult(response);
    }

    public override Task<GetNamespacesResponse> GetNamespaces(GetNamespacesRequest request, ServerCallContext context)
    {
        var hourAgo = Timestamp.FromDateTimeOffset(time.GetUtcNow().AddHours(-1));
        var namespaces = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var ring in cluster.Rings)
        {
            foreach (var e in ring.Snapshot().Events.Where(e => e.Time >= hourAgo))
            {
                foreach (var endpoint in (ReadOnlySpan<Endpoint?>)[e.Flow.Source, e.Flow.Destination])
                {
                    if (!string.IsNullOrEmpty(endpoint?.Namespace))
                    {
                        namespaces.Add(endpoint.Namespace);
                    }
                }
            }
        }

        var response = new GetNamespacesResponse();
        response.Namespaces.AddRange(namespaces.Select(n => new Namespace { Cluster = cluster.ClusterName, Namespace_ = n }));
        return Task.FromResult(response);
    }

    /// <summary>
    /// Writes the events with gRPC's buffer hint, flushing every <see cref="FlushEvery"/> events and with the last one:
    /// a send per batch rather than per flow, without holding a large history in memory unsent.
    /// </summary>
    private static async Task WriteAllAsync(IServerStreamWriter<GetFlowsResponse> stream, List<GetFlowsResponse> events, CancellationToken ct)
    {
        for (var i = 0; i < events.Count; i++)
        {
            stream.WriteOptions = i == events.Count - 1 || i % FlushEvery == FlushEvery - 1 ? null : BufferHint;
            await stream.WriteAsync(events[i], ct);
        }
    }

    private static readonly WriteOptions BufferHint = new(WriteFlags.BufferHint);

    private static void Validate(GetFlowsRequest request)
    {
        if (request.First && request.Follow)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "first cannot be specified with follow"));
        }

        var unsupported = request.Whitelist.Concat(request.Blacklist).SelectMany(FlowFilterMatcher.Unsupported).Distinct().ToArray();
        if (unsupported.Length > 0)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, $"unsupported filter fields: {string.Join(", ", unsupported)}"));
        }

        if (request.Since is not null && request.Until is not null && request.Until < request.Since)
        {
            throw new RpcException(new Status(StatusCode.InvalidArgument, "until must be after since"));
        }
    }

    private static bool InRange(GetFlowsResponse e, DateTimeOffset? since, DateTimeOffset? until)
    {
        if (since is null && until is null)
        {
            return true;
        }

        var t = e.Time.ToDateTimeOffset();
        return (since is null || t >= since) && (until is null || t <= until);
    }

    private GetFlowsResponse LostEvents(string nodeName, long lost) => new()
    {
        LostEvents = new LostEvent { Source = LostEventSource.HubbleRingBuffer, NumEventsLost = (ulong)lost },
        NodeName = nodeName,
        Time = Timestamp.FromDateTimeOffset(time.GetUtcNow()),
    };
}
