using LabNet.Hubble.Filters;
using LabNet.Hubble.FlowApi;

namespace LabNet.FlowCollector.Tests.Hubble;

public sealed class FlowFilterMatcherTests
{
    private static readonly Flow Flow = new()
    {
        Uuid = "u-1",
        Verdict = Verdict.Dropped,
        DropReasonDesc = DropReason.PolicyDenied,
        NodeName = "dev/dev-worker1",
        NodeLabels = { "kubernetes.io/hostname=dev-worker1" },
        IP = new IP { Source = "10.20.3.7", Destination = "10.20.2.31", IpVersion = IPVersion.Ipv4 },
        L4 = new Layer4 { TCP = new TCP { SourcePort = 40100, DestinationPort = 8080, Flags = new TCPFlags { SYN = true } } },
        Source = new Endpoint { Namespace = "demo", PodName = "redis-0", Identity = 21004, Labels = { "k8s:app=redis", "k8s:tier=cache" }, Workloads = { new Workload { Name = "redis", Kind = "StatefulSet" } } },
        Destination = new Endpoint { Namespace = "demo", PodName = "httpbin-v1-abc", Identity = 21002, Labels = { "k8s:app=httpbin", "k8s:version=v1", "reserved:host" } },
        DestinationService = new Service { Namespace = "demo", Name = "httpbin" },
        DestinationNames = { "httpbin.demo.svc.cluster.local" },
        TrafficDirection = TrafficDirection.Ingress,
        IsReply = false,
        EventType = new CiliumEventType { Type = 1, SubType = 133 },
    };

    [Theory]
    [InlineData("""{"source_ip":["10.20.3.7"]}""", true)]
    [InlineData("""{"source_ip":["10.20.0.0/16"]}""", true)]
    [InlineData("""{"destination_ip":["10.30.0.0/16"]}""", false)]
    [InlineData("""{"source_pod":["demo/redis"]}""", true)]
    [InlineData("""{"source_pod":["redis"]}""", false)]
    [InlineData("""{"destination_pod":["demo/"]}""", true)]
    [InlineData("""{"source_label":["app=redis"]}""", true)]
    [InlineData("""{"source_label":["k8s:app=redis,tier in (cache, db)"]}""", true)]
    [InlineData("""{"source_label":["app!=redis"]}""", false)]
    [InlineData("""{"destination_label":["reserved:host"]}""", true)]
    [InlineData("""{"destination_label":["!version"]}""", false)]
    [InlineData("""{"destination_label":["version notin (v2)"]}""", true)]
    [InlineData("""{"destination_service":["demo/httpbin"]}""", true)]
    [InlineData("""{"destination_fqdn":["*.demo.svc.cluster.local"]}""", true)]
    [InlineData("""{"source_workload":[{"name":"redis","kind":"StatefulSet"}]}""", true)]
    [InlineData("""{"source_workload":[{"name":"redis","kind":"Deployment"}]}""", false)]
    [InlineData("""{"destination_port":["8080"],"source_port":["40100"]}""", true)]
    [InlineData("""{"destination_port":["80"]}""", false)]
    [InlineData("""{"reply":[false]}""", true)]
    [InlineData("""{"reply":[true]}""", false)]
    [InlineData("""{"traffic_direction":["INGRESS"],"verdict":["DROPPED"],"drop_reason_desc":["POLICY_DENIED"]}""", true)]
    [InlineData("""{"event_type":[{"type":1,"match_sub_type":true,"sub_type":133}]}""", true)]
    [InlineData("""{"event_type":[{"type":1,"match_sub_type":true,"sub_type":181}]}""", false)]
    [InlineData("""{"tcp_flags":[{"SYN":true}]}""", true)]
    [InlineData("""{"tcp_flags":[{"SYN":true,"ACK":true}]}""", false)]
    [InlineData("""{"node_name":["dev/"]}""", true)]
    [InlineData("""{"node_name":["dev-worker*"]}""", true)]
    [InlineData("""{"node_name":["prod/*"]}""", false)]
    [InlineData("""{"node_labels":["kubernetes.io/hostname=dev-worker1"]}""", true)]
    [InlineData("""{"source_identity":[21004],"destination_identity":[21002]}""", true)]
    [InlineData("""{"ip_version":["IPv6"]}""", false)]
    [InlineData("""{"uuid":["u-1"],"protocol":["TCP"]}""", true)]
    [InlineData("""{"protocol":["http"]}""", false)]
    [InlineData("""{"experimental":{"cel_expression":"true"}}""", false)]
    public void A_filter_selects_a_flow_as_Hubble_does(string filterJson, bool expected)
    {
        var filter = FlowFilter.Parser.WithDiscardUnknownFields(false).ParseJson(filterJson);

        Assert.Equal(expected, FlowFilterMatcher.Matches(Flow, [filter], []));
    }

    [Fact]
    public void The_blacklist_removes_what_the_whitelist_selected()
    {
        var whitelist = new FlowFilter { SourcePod = { "demo/" } };
        var blacklist = new FlowFilter { Verdict = { Verdict.Dropped } };

        Assert.True(FlowFilterMatcher.Matches(Flow, [whitelist], []));
        Assert.False(FlowFilterMatcher.Matches(Flow, [whitelist], [blacklist]));
        Assert.True(FlowFilterMatcher.Matches(Flow, [], []));
    }

    [Fact]
    public void Cel_expressions_are_reported_as_unsupported()
    {
        Assert.Equal(["experimental.cel_expression"], FlowFilterMatcher.Unsupported(new FlowFilter { Experimental = new() { CelExpression = "true" } }));
        Assert.Empty(FlowFilterMatcher.Unsupported(new FlowFilter { SourcePod = { "demo/" } }));
    }

    [Fact]
    public void Http_path_and_url_filters_are_regular_expressions()
    {
        var flow = new Flow { L7 = new Layer7 { Http = new HTTP { Code = 200, Method = "GET", Url = "http://httpbin.demo:8080/status/503?x=1" } } };

        Assert.True(FlowFilterMatcher.Matches(flow, [new FlowFilter { HttpPath = { "^/status/5[0-9]+$" } }], []));
        Assert.False(FlowFilterMatcher.Matches(flow, [new FlowFilter { HttpPath = { "^/get$" } }], []));
        Assert.True(FlowFilterMatcher.Matches(flow, [new FlowFilter { HttpUrl = { "httpbin\\.demo" } }], []));
    }
}
