using LabNet.Hubble.FlowApi;
using LabNet.Simulator.Hubble.Flows;
using LabNet.Simulator.Tests.Cilium;

#pragma warning disable CS0612 // Summary and drop_reason are deprecated in flow.proto but Hubble fills them.

namespace LabNet.Simulator.Tests.Hubble;

public sealed class HubbleFlowBuilderTests
{
    private readonly FlowFixtures _f = new();

    [Fact]
    public void Forwarded_tcp_connection_shows_handshake_and_teardown_with_replies_marked()
    {
        var connection = _f.Tcp(DemoLab.Nginx, DemoLab.Redis, 6379, new ServiceName("redis", "demo"));

        var flows = _f.Builder.Build(connection, _f.Lab.Engine.Decide(DemoLab.Nginx, DemoLab.Redis, LabNet.Simulator.Cilium.Policy.IpProtocol.Tcp, 6379));

        var traces = flows.Where(f => f.EventType.Type == HubbleEventTypes.Trace).ToList();
        Assert.Equal(["TCP Flags: SYN", "TCP Flags: SYN, ACK", "TCP Flags: ACK", "TCP Flags: ACK, FIN", "TCP Flags: ACK, FIN"], traces.Select(f => f.Summary));
        Assert.Equal([false, true, false, false, true], traces.Select(f => f.IsReply!.Value));
        Assert.All(flows, f => Assert.Equal(Verdict.Forwarded, f.Verdict));
        Assert.Equal("10.20.1.30", traces[1].IP.Source);
        Assert.Equal("redis", traces[0].DestinationService.Name);
        Assert.Equal("redis", traces[1].SourceService.Name);

        var verdicts = flows.Where(f => f.EventType.Type == HubbleEventTypes.PolicyVerdict).ToList();
        Assert.Equal([TrafficDirection.Egress, TrafficDirection.Ingress], verdicts.Select(f => f.TrafficDirection));
        Assert.Contains(verdicts[0].EgressAllowedBy, p => p.Name == "allow-nginx-egress");
        Assert.Contains(verdicts[1].IngressAllowedBy, p => p.Name == "allow-nginx-to-redis");
        Assert.All(flows, f => Assert.Equal("dev/dev-worker1", f.NodeName));
        Assert.Equal(flows.Count, flows.Select(f => f.Uuid).Distinct().Count());
        Assert.Contains("k8s:app=nginx-web", flows[0].Source.Labels);
        Assert.Equal("nginx-web", flows[0].Source.Workloads.Single().Name);
    }

    [Fact]
    public void Connection_without_egress_rule_is_dropped_at_egress_with_policy_denied()
    {
        var connection = _f.Tcp(DemoLab.Redis, DemoLab.HttpbinV1, 80);

        var flows = _f.Builder.Build(connection, _f.Lab.Tcp(DemoLab.Redis, DemoLab.HttpbinV1, 80));

        Assert.Equal(2, flows.Count);
        var verdict = flows[0];
        Assert.Equal(HubbleEventTypes.PolicyVerdict, verdict.EventType.Type);
        Assert.Equal(Verdict.Dropped, verdict.Verdict);
        Assert.Equal(TrafficDirection.Egress, verdict.TrafficDirection);
        var drop = flows[1];
        Assert.Equal(HubbleEventTypes.Drop, drop.EventType.Type);
        Assert.Equal(133, drop.EventType.SubType);
        Assert.Equal(133u, drop.DropReason);
        Assert.Equal(DropReason.PolicyDenied, drop.DropReasonDesc);
        Assert.Equal(Verdict.Dropped, drop.Verdict);
        Assert.Equal("TCP Flags: SYN", drop.Summary);
        Assert.False(drop.IsReply);
    }

    [Fact]
    public void Get_through_the_proxy_yields_request_and_response_records_with_the_server_as_response_source()
    {
        var connection = _f.Tcp(DemoLab.Nginx, DemoLab.HttpbinV1, 80, new ServiceName("httpbin", "demo"));
        var exchange = new SimulatedHttpExchange("GET", "httpbin", "/get", 200, TimeSpan.FromMilliseconds(12));
        var verdict = _f.Lab.Tcp(DemoLab.Nginx, DemoLab.HttpbinV1, 80);
        Assert.True(verdict.L7ProxyInPath);

        var flows = _f.Builder.Build(connection, verdict, exchange);

        var l7 = flows.Where(f => f.Type == FlowType.L7).ToList();
        Assert.NotEmpty(l7);
        Assert.All(l7, f => Assert.Equal(HubbleEventTypes.AccessLog, f.EventType.Type));
        var request = l7.First(f => f.L7.Type == L7FlowType.Request);
        var response = l7.First(f => f.L7.Type == L7FlowType.Response);
        Assert.Equal("HTTP/1.1 GET http://httpbin/get", request.Summary);
        Assert.Equal("HTTP/1.1 200 12ms (GET http://httpbin/get)", response.Summary);
        Assert.Equal(200u, response.L7.Http.Code);
        Assert.Equal(12_000_000ul, response.L7.LatencyNs);
        Assert.True(response.IsReply);
        Assert.Equal("httpbin-5f8d7b6c4-v1aaa", response.Source.PodName);
        Assert.Contains("k8s:version=v1", response.Source.Labels);
        Assert.Equal(0u, request.L7.Http.Code);
        var synToProxy = flows.First(f => f.EventType.Type == HubbleEventTypes.Trace);
        Assert.Equal(TraceObservationPoint.ToProxy, synToProxy.TraceObservationPoint);
    }

    [Fact]
    public void Post_denied_by_the_proxy_is_a_dropped_request_answered_403_access_denied()
    {
        var connection = _f.Tcp(DemoLab.Nginx, DemoLab.HttpbinV1, 80);
        var exchange = new SimulatedHttpExchange("POST", "httpbin", "/post", 200, TimeSpan.FromMilliseconds(12));

        var flows = _f.Builder.Build(connection, _f.Lab.Tcp(DemoLab.Nginx, DemoLab.HttpbinV1, 80), exchange);

        var l7 = flows.Where(f => f.Type == FlowType.L7).ToList();
        var request = Assert.Single(l7, f => f.L7.Type == L7FlowType.Request);
        Assert.Equal(Verdict.Dropped, request.Verdict);
        Assert.Equal(DropReason.Unknown, request.DropReasonDesc);
        var response = Assert.Single(l7, f => f.L7.Type == L7FlowType.Response);
        Assert.Equal(403u, response.L7.Http.Code);
        Assert.StartsWith("HTTP/1.1 403 ", response.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Same_seed_gives_the_same_flow_uuids()
    {
        var first = new FlowUuidSource(7);
        var second = new FlowUuidSource(7);

        var a = Enumerable.Range(0, 5).Select(_ => first.Next()).ToList();
        var b = Enumerable.Range(0, 5).Select(_ => second.Next()).ToList();

        Assert.Equal(a, b);
        Assert.All(a, u => Assert.Equal('4', u[14]));
    }
}
