using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using LabNet.Hubble.FlowApi;
using LabNet.Hubble.ObserverApi;
using LabNet.Simulator.Cilium.Identity;
using LabNet.Simulator.Cilium.Policy;
using LabNet.Simulator.Hubble.Flows;
using LabNet.Simulator.Tests.Cilium;

namespace LabNet.Simulator.Tests.Hubble;

public sealed class RelayObserverTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly FlowFixtures _f = new();

    private List<Flow> Connection(PolicyEndpoint source, PolicyEndpoint destination, int port, SimulatedHttpExchange? http = null, int second = 0)
    {
        var connection = _f.Tcp(source, destination, port) with { StartedAt = FlowFixtures.Start.AddSeconds(second) };
        return _f.Builder.Build(connection, _f.Lab.Engine.Decide(source, destination, IpProtocol.Tcp, port), http);
    }

    private static async Task<List<GetFlowsResponse>> ReadAsync(AsyncServerStreamingCall<GetFlowsResponse> call, int count)
    {
        var received = new List<GetFlowsResponse>();
        using var cts = new CancellationTokenSource(Timeout);
        while (received.Count < count && await call.ResponseStream.MoveNext(cts.Token))
        {
            received.Add(call.ResponseStream.Current);
        }

        return received;
    }

    [Fact]
    public async Task Follow_with_namespace_and_dropped_verdict_filters_streams_only_new_matching_flows()
    {
        await using var host = await RelayTestHost.StartAsync();
        host.Cluster.Publish(Connection(DemoLab.Redis, DemoLab.HttpbinV1, 80));
        var request = new GetFlowsRequest { Follow = true };
        request.Whitelist.Add(new FlowFilter { SourcePod = { "demo/" }, Verdict = { Verdict.Dropped } });
        request.Whitelist.Add(new FlowFilter { DestinationPod = { "demo/" }, Verdict = { Verdict.Dropped } });
        using var call = host.Client.GetFlows(request, cancellationToken: new CancellationTokenSource(Timeout).Token);
        await call.ResponseHeadersAsync.WaitAsync(Timeout);

        host.Cluster.Publish(Connection(DemoLab.Nginx, DemoLab.Redis, 6379, second: 1));
        var dropped = Connection(DemoLab.Unlabeled, DemoLab.HttpbinV1, 80, second: 2);
        host.Cluster.Publish(dropped);

        var received = await ReadAsync(call, 2);
        Assert.Equal(dropped.Select(f => f.Uuid), received.Select(r => r.Flow.Uuid));
        Assert.All(received, r => Assert.Equal("dev/dev-worker1", r.NodeName));
    }

    [Fact]
    public async Task From_pod_and_http_status_filters_select_server_errors_of_one_client()
    {
        await using var host = await RelayTestHost.StartAsync();
        host.Cluster.Publish(Connection(DemoLab.Nginx, DemoLab.HttpbinV1, 80, new SimulatedHttpExchange("GET", "httpbin", "/get", 200, TimeSpan.FromMilliseconds(5))));
        host.Cluster.Publish(Connection(DemoLab.Nginx, DemoLab.HttpbinV2, 80, new SimulatedHttpExchange("GET", "httpbin", "/get", 503, TimeSpan.FromMilliseconds(7)), second: 1));
        var request = new GetFlowsRequest { Number = 100 };
        request.Whitelist.Add(new FlowFilter { HttpStatusCode = { "5+" } });

        using var call = host.Client.GetFlows(request);
        var all = await ReadAsync(call, int.MaxValue);

        Assert.NotEmpty(all);
        Assert.All(all, r => Assert.Equal(503u, r.Flow.L7.Http.Code));
        Assert.All(all, r => Assert.StartsWith("httpbin-v2", r.Flow.Source.PodName, StringComparison.Ordinal));

        var fromNginx = new GetFlowsRequest { Number = 1000 };
        fromNginx.Whitelist.Add(new FlowFilter { SourcePod = { "demo/nginx-web" } });
        using var second = host.Client.GetFlows(fromNginx);
        var nginx = await ReadAsync(second, int.MaxValue);
        Assert.NotEmpty(nginx);
        Assert.All(nginx, r => Assert.StartsWith("nginx-web", r.Flow.Source.PodName, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Server_status_counts_flows_held_seen_and_ring_capacity_per_node()
    {
        await using var host = await RelayTestHost.StartAsync(ringCapacity: 10);
        var flows = Enumerable.Range(0, 4).SelectMany(i => Connection(DemoLab.Nginx, DemoLab.Redis, 6379, second: i)).ToList();
        host.Cluster.Publish(flows);
        host.Time.Advance(TimeSpan.FromSeconds(5));

        var status = await host.Client.ServerStatusAsync(new ServerStatusRequest()).ResponseAsync.WaitAsync(Timeout);

        Assert.Equal((ulong)flows.Count, status.SeenFlows);
        Assert.Equal(10ul, status.NumFlows);
        Assert.Equal(20ul, status.MaxFlows);
        Assert.Equal(2u, status.NumConnectedNodes);
        Assert.Equal(5_000_000_000ul, status.UptimeNs);
        var nodes = await host.Client.GetNodesAsync(new GetNodesRequest()).ResponseAsync.WaitAsync(Timeout);
        Assert.Equal(["dev/dev-master", "dev/dev-worker1"], nodes.Nodes.Select(n => n.Name));
    }

    [Fact]
    public async Task Since_is_inclusive_so_a_resumed_stream_starts_at_the_last_flow_seen()
    {
        await using var host = await RelayTestHost.StartAsync();
        var early = Connection(DemoLab.Nginx, DemoLab.Redis, 6379, second: 0);
        var late = Connection(DemoLab.Keycloak, DemoLab.Postgres, 5432, second: 10);
        host.Cluster.Publish(early);
        host.Cluster.Publish(late);

        var request = new GetFlowsRequest { Follow = true, Since = late[0].Time };
        using var call = host.Client.GetFlows(request, cancellationToken: new CancellationTokenSource(Timeout).Token);
        var history = await ReadAsync(call, late.Count);
        Assert.Equal(late.Select(f => f.Uuid), history.Select(r => r.Flow.Uuid));

        var next = Connection(DemoLab.Nginx, DemoLab.Redis, 6379, second: 20);
        host.Cluster.Publish(next);
        var followed = await ReadAsync(call, next.Count);
        Assert.Equal(next.Select(f => f.Uuid), followed.Select(r => r.Flow.Uuid));
    }

    [Fact]
    public async Task Follower_that_falls_a_ring_behind_gets_a_lost_events_message()
    {
        await using var host = await RelayTestHost.StartAsync(ringCapacity: 5);
        using var call = host.Client.GetFlows(new GetFlowsRequest { Follow = true }, cancellationToken: new CancellationTokenSource(Timeout).Token);
        await call.ResponseHeadersAsync.WaitAsync(Timeout);

        var burst = Enumerable.Range(0, 5).SelectMany(i => Connection(DemoLab.Nginx, DemoLab.Redis, 6379, second: i)).ToList();
        host.Cluster.Publish(burst);

        var received = await ReadAsync(call, 6);
        Assert.Equal(GetFlowsResponse.ResponseTypesOneofCase.LostEvents, received[0].ResponseTypesCase);
        Assert.Equal(LostEventSource.HubbleRingBuffer, received[0].LostEvents.Source);
        Assert.Equal((ulong)(burst.Count - 5), received[0].LostEvents.NumEventsLost);
        Assert.Equal(burst.TakeLast(5).Select(f => f.Uuid), received.Skip(1).Select(r => r.Flow.Uuid));
    }

    [Fact]
    public async Task First_with_follow_is_rejected_as_invalid_argument()
    {
        await using var host = await RelayTestHost.StartAsync();
        using var call = host.Client.GetFlows(new GetFlowsRequest { First = true, Follow = true, Number = 1 });

        var error = await Assert.ThrowsAsync<RpcException>(() => call.ResponseStream.MoveNext(CancellationToken.None).WaitAsync(Timeout));

        Assert.Equal(StatusCode.InvalidArgument, error.StatusCode);
    }
}
