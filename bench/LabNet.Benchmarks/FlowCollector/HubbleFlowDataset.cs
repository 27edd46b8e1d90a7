using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using LabNet.Hubble.FlowApi;
using LabNet.Hubble.ObserverApi;

namespace LabNet.Benchmarks.FlowCollector;

// Summary and drop_reason are deprecated in flow.proto but Hubble still fills them; the dataset does too.
#pragma warning disable CS0612

/// <summary>
/// A deterministic mix of Hubble flows as the demo lab produces them (L3/L4 traces, policy drops, L7 HTTP
/// request/response pairs, DNS), as protobuf GetFlowsResponse messages and as <c>hubble observe -o json</c> lines.
/// </summary>
public sealed class HubbleFlowDataset
{
    private static readonly string[] Workloads =
        ["nginx-web", "httpbin-v1", "httpbin-v2", "redis", "postgres", "rabbitmq", "keycloak", "coredns", "load-generator", "frontend"];

    public HubbleFlowDataset(int count, int seed = 42)
    {
        var random = new Random(seed);
        var formatter = new JsonFormatter(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true));
        var start = new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero);
        var messages = new List<byte[]>(count);
        var json = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var time = Timestamp.FromDateTimeOffset(start.AddTicks(i * 1234L));
            var response = new GetFlowsResponse { Flow = NextFlow(random, i, time), NodeName = "dev/dev-worker1", Time = time };
            messages.Add(response.ToByteArray());
            json.Append(formatter.Format(response)).Append('\n');
        }

        ProtobufMessages = messages;
        JsonLines = Encoding.UTF8.GetBytes(json.ToString());
        Count = count;
    }

    public int Count { get; }

    public IReadOnlyList<byte[]> ProtobufMessages { get; }

    public byte[] JsonLines { get; }

    private static Flow NextFlow(Random random, int i, Timestamp time)
    {
        var src = random.Next(Workloads.Length);
        var dst = random.Next(Workloads.Length);
        var flow = new Flow
        {
            Time = time,
            Uuid = Guid.CreateVersion7(time.ToDateTimeOffset()).ToString(),
            NodeName = "dev/dev-worker1",
            IP = new IP { Source = $"10.20.1.{src + 10}", Destination = $"10.20.2.{dst + 10}", IpVersion = IPVersion.Ipv4 },
            Source = Endpoint(src, random),
            Destination = Endpoint(dst, random),
            TrafficDirection = random.Next(2) == 0 ? TrafficDirection.Ingress : TrafficDirection.Egress,
            IsReply = random.Next(2) == 0,
        };
        var kind = random.Next(100);
        if (kind < 50)
        {
            flow.Verdict = Verdict.Forwarded;
            flow.Type = FlowType.L3L4;
            flow.EventType = new CiliumEventType { Type = 4, SubType = random.Next(2) == 0 ? 0 : 3 };
            flow.TraceObservationPoint = TraceObservationPoint.ToStack;
            flow.L4 = new Layer4 { TCP = new TCP { SourcePort = (uint)(30000 + i % 30000), DestinationPort = 8080, Flags = new TCPFlags { SYN = kind < 10, ACK = kind >= 5, FIN = kind is > 40 and < 45 } } };
            flow.Summary = "TCP Flags: ACK";
        }
        else if (kind < 65)
        {
            flow.Verdict = Verdict.Dropped;
            flow.Type = FlowType.L3L4;
            flow.DropReason = 133;
            flow.DropReasonDesc = kind < 62 ? DropReason.PolicyDenied : DropReason.PolicyDeny;
            flow.EventType = new CiliumEventType { Type = 1, SubType = (int)flow.DropReasonDesc };
            flow.L4 = new Layer4 { TCP = new TCP { SourcePort = (uint)(30000 + i % 30000), DestinationPort = 6379, Flags = new TCPFlags { SYN = true } } };
            flow.Summary = "TCP Flags: SYN";
        }
        else if (kind < 90)
        {
            var response = kind >= 77;
            flow.Verdict = Verdict.Forwarded;
            flow.Type = FlowType.L7;
            flow.EventType = new CiliumEventType { Type = 129 };
            flow.L4 = new Layer4 { TCP = new TCP { SourcePort = (uint)(30000 + i % 30000), DestinationPort = 8080 } };
            var code = random.Next(100) < 95 ? 200u : 503u;
            flow.L7 = new Layer7
            {
                Type = response ? L7FlowType.Response : L7FlowType.Request,
                LatencyNs = response ? (ulong)random.Next(1_000_000, 200_000_000) : 0,
                Http = new HTTP
                {
                    Code = response ? code : 0,
                    Method = random.Next(10) == 0 ? "POST" : "GET",
                    Url = "http://httpbin.demo.svc.cluster.local:8080/get",
                    Protocol = "HTTP/1.1",
                    Headers = { new HTTPHeader { Key = "X-Request-Id", Value = Guid.NewGuid().ToString() } },
                },
            };
            flow.Summary = response ? $"HTTP/1.1 {code} 5ms (GET http://httpbin.demo.svc.cluster.local:8080/get)" : "HTTP/1.1 GET http://httpbin.demo.svc.cluster.local:8080/get";
        }
        else
        {
            flow.Verdict = Verdict.Forwarded;
            flow.Type = FlowType.L7;
            flow.EventType = new CiliumEventType { Type = 129 };
            flow.L4 = new Layer4 { UDP = new UDP { SourcePort = (uint)(30000 + i % 30000), DestinationPort = 53 } };
            flow.L7 = new Layer7
            {
                Type = L7FlowType.Request,
                Dns = new DNS { Query = "httpbin.demo.svc.cluster.local.", ObservationSource = "proxy", Qtypes = { "A" } },
            };
            flow.Summary = "DNS Query httpbin.demo.svc.cluster.local. A";
        }

        return flow;
    }

    private static Endpoint Endpoint(int workload, Random random)
    {
        var name = Workloads[workload];
        var app = name.StartsWith("httpbin", StringComparison.Ordinal) ? "httpbin" : name;
        var endpoint = new Endpoint
        {
            ID = (uint)(100 + workload),
            Identity = (uint)(20000 + workload),
            Namespace = "demo",
            PodName = $"{name}-6d4cf56db6-{random.Next(100_000):x5}",
            Labels = { $"k8s:app={app}", "k8s:io.kubernetes.pod.namespace=demo", "k8s:io.cilium.k8s.policy.cluster=dev" },
            Workloads = { new Workload { Name = name, Kind = "Deployment" } },
        };
        if (app == "httpbin")
        {
            endpoint.Labels.Add($"k8s:version={name[^2..]}");
        }

        return endpoint;
    }
}
