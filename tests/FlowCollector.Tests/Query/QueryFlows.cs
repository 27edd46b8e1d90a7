using Google.Protobuf.WellKnownTypes;
using LabNet.Hubble.FlowApi;
using LabNet.Hubble.ObserverApi;

namespace LabNet.FlowCollector.Tests.Query;

/// <summary>A few relay flows of the demo: nginx -> httpbin GETs (200/503), a policy drop of redis -> httpbin, DNS.</summary>
public static class QueryFlows
{
    public static readonly DateTimeOffset Start = new(2026, 11, 26, 6, 0, 0, TimeSpan.Zero);

    public static GetFlowsResponse Http(int i, string fromPod, string toPod, uint code, string method = "GET") => Wrap(i, new Flow
    {
        Verdict = Verdict.Forwarded,
        Type = FlowType.L7,
        EventType = new CiliumEventType { Type = 129 },
        L4 = new Layer4 { TCP = new TCP { SourcePort = 8080, DestinationPort = 51234 } },
        Source = new Endpoint { Namespace = "demo", PodName = fromPod, Labels = { "k8s:app=httpbin" } },
        Destination = new Endpoint { Namespace = "demo", PodName = toPod },
        L7 = new Layer7 { Type = L7FlowType.Response, LatencyNs = 1_500_000, Http = new HTTP { Code = code, Method = method, Url = "http://httpbin/get", Protocol = "HTTP/1.1" } },
        TrafficDirection = TrafficDirection.Ingress,
        IsReply = true,
    });

    public static GetFlowsResponse PolicyDrop(int i) => Wrap(i, new Flow
    {
        Verdict = Verdict.Dropped,
        DropReasonDesc = DropReason.PolicyDenied,
        Type = FlowType.L3L4,
        EventType = new CiliumEventType { Type = 1, SubType = 133 },
        L4 = new Layer4 { TCP = new TCP { SourcePort = 40000, DestinationPort = 8080, Flags = new TCPFlags { SYN = true } } },
        Source = new Endpoint { Namespace = "demo", PodName = "redis-0" },
        Destination = new Endpoint { Namespace = "demo", PodName = "httpbin-v1-abc" },
        TrafficDirection = TrafficDirection.Ingress,
        IsReply = false,
    });

    public static GetFlowsResponse Dns(int i) => Wrap(i, new Flow
    {
        Verdict = Verdict.Forwarded,
        Type = FlowType.L7,
        EventType = new CiliumEventType { Type = 129 },
        L4 = new Layer4 { UDP = new UDP { SourcePort = 45123, DestinationPort = 53 } },
        Source = new Endpoint { Namespace = "demo", PodName = "nginx-web-1" },
        Destination = new Endpoint { Namespace = "kube-system", PodName = "coredns-1" },
        L7 = new Layer7 { Type = L7FlowType.Request, Dns = new DNS { Query = "httpbin.demo.svc.cluster.local.", Qtypes = { "A" } } },
    });

    private static GetFlowsResponse Wrap(int i, Flow flow)
    {
        var time = Timestamp.FromDateTimeOffset(Start.AddSeconds(i));
        flow.Time = time;
        flow.Uuid = $"flow-{i}";
        flow.NodeName = "dev/dev-worker1";
        return new GetFlowsResponse { Flow = flow, NodeName = "dev/dev-worker1", Time = time };
    }
}
