using System.Text;
using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using LabNet.FlowCollector.Decoding;
using LabNet.FlowCollector.Flows;
using LabNet.Hubble.FlowApi;
using LabNet.Hubble.ObserverApi;

namespace LabNet.FlowCollector.Tests.Decoding;

public sealed class JsonAndProtobufAgreementTests
{
    public static TheoryData<bool> NamingStyles => [true, false];

    [Theory]
    [MemberData(nameof(NamingStyles))]
    public void Protojson_of_a_flow_decodes_to_what_the_protobuf_mapper_reads(bool protoFieldNames)
    {
        var formatter = new JsonFormatter(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(protoFieldNames));
        foreach (var response in Responses())
        {
            var fromProto = new FlowRecord();
            new ProtoFlowMapper().Fill(response.Flow, response.NodeName, response.Time, fromProto);
            var fromJson = new FlowRecord();
            var json = formatter.Format(response);

            var kind = new HubbleJsonDecoder().Decode(Encoding.UTF8.GetBytes(json), fromJson, out _, out var error);

            Assert.True(kind == HubbleEventKind.Flow, $"{error}: {json}");
            Assert.Equivalent(fromProto, fromJson, strict: true);

            var fromWire = new FlowRecord();
            Assert.Equal(HubbleEventKind.Flow, new HubbleProtobufDecoder().Decode(response.ToByteArray(), fromWire, out _, out error));
            Assert.Equivalent(fromProto, fromWire, strict: true);
        }
    }

    [Fact]
    public void The_probe_header_value_is_read_from_json_and_protobuf_alike()
    {
        var response = Responses().Single(r => r.Flow.L7?.Http is not null);
        var fromProto = new FlowRecord();
        new ProtoFlowMapper().Fill(response.Flow, response.NodeName, response.Time, fromProto);
        var fromJson = new FlowRecord();
        new HubbleJsonDecoder().Decode(Encoding.UTF8.GetBytes(JsonFormatter.Default.Format(response)), fromJson, out _, out _);
        var fromWire = new FlowRecord();
        new HubbleProtobufDecoder(probeHeader: "X-Request-Id").Decode(response.ToByteArray(), fromWire, out _, out _);

        Assert.Equal("true", fromProto.ProbeHeaderValue);
        Assert.Equal("true", fromJson.ProbeHeaderValue);
        Assert.Equal("4d2c", fromWire.ProbeHeaderValue);
    }

    [Fact]
    public void Truncated_protobuf_is_malformed_with_a_reason()
    {
        var kind = new HubbleProtobufDecoder().Decode([0x0a, 0x7f, 0x08], new FlowRecord(), out _, out var error);

        Assert.Equal(HubbleEventKind.Malformed, kind);
        Assert.Equal("truncated protobuf length-delimited field", error);
    }

    [Fact]
    public void Protobuf_lost_events_are_read_with_source_and_count()
    {
        var response = new GetFlowsResponse { LostEvents = new LostEvent { Source = LostEventSource.PerfEventRingBuffer, NumEventsLost = 42 } };

        var kind = new HubbleProtobufDecoder().Decode(response.ToByteArray(), new FlowRecord(), out var lost, out _);

        Assert.Equal(HubbleEventKind.LostEvents, kind);
        Assert.Equal(new LostEventsRecord(1, 42), lost);
    }

    private static IEnumerable<GetFlowsResponse> Responses()
    {
        var time = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 26, 6, 0, 1, TimeSpan.Zero).AddTicks(1234567));
        var httpbin = new Endpoint
        {
            ID = 402, Identity = 21002, Namespace = "demo", PodName = "httpbin-v2-5c9f7d8b7-abcde", ClusterName = "dev",
            Labels = { "k8s:app=httpbin", "k8s:version=v2" }, Workloads = { new Workload { Name = "httpbin-v2", Kind = "Deployment" } },
        };
        var nginx = new Endpoint { ID = 311, Identity = 21001, Namespace = "demo", PodName = "nginx-web-1", Labels = { "k8s:app=nginx-web" } };

        yield return new GetFlowsResponse
        {
            NodeName = "dev/dev-worker1",
            Time = time,
            Flow = new Flow
            {
                Time = time, Uuid = "u-1", Verdict = Verdict.Forwarded, Type = FlowType.L7, NodeName = "dev/dev-worker1",
                IP = new IP { Source = "10.20.2.32", Destination = "10.20.1.15", IpVersion = IPVersion.Ipv4 },
                L4 = new Layer4 { TCP = new TCP { SourcePort = 8080, DestinationPort = 51234, Flags = new TCPFlags { PSH = true, ACK = true } } },
                Source = httpbin, Destination = nginx, EventType = new CiliumEventType { Type = 129 },
                TrafficDirection = TrafficDirection.Ingress, IsReply = true,
                DestinationService = new Service { Name = "nginx-web", Namespace = "demo" },
                L7 = new Layer7
                {
                    Type = L7FlowType.Response, LatencyNs = 5_000_000_123,
                    Http = new HTTP
                    {
                        Code = 503,
                        Method = "GET",
                        Url = "http://httpbin/status/503",
                        Protocol = "HTTP/1.1",
                        Headers = { new HTTPHeader { Key = "x-request-id", Value = "4d2c" }, new HTTPHeader { Key = "x-canary", Value = "true" } },
                    },
                },
            },
        };
        yield return new GetFlowsResponse
        {
            NodeName = "dev/dev-worker2",
            Time = time,
            Flow = new Flow
            {
                Time = time, Uuid = "u-2", Verdict = Verdict.Dropped, DropReasonDesc = DropReason.PolicyDenied, Type = FlowType.L3L4,
                L4 = new Layer4 { UDP = new UDP { SourcePort = 40000, DestinationPort = 53 } },
                Source = nginx, Destination = httpbin, EventType = new CiliumEventType { Type = 1, SubType = 133 },
                TrafficDirection = TrafficDirection.Egress, IsReply = false,
            },
        };
    }
}
