using System.Text;
using LabNet.FlowCollector.Decoding;
using LabNet.FlowCollector.Flows;

namespace LabNet.FlowCollector.Tests.Decoding;

public sealed class HubbleJsonDecoderTests
{
    private const string SnakeCase =
        """{"flow":{"time":"2023-08-21T12:12:18.510175415Z","verdict":"DROPPED","drop_reason":133,"IP":{"source":"10.244.1.60","destination":"10.244.1.5","ipVersion":"IPv4"},"l4":{"TCP":{"source_port":44916,"destination_port":80,"flags":{"SYN":true}}},"source":{"identity":5,"namespace":"default","labels":["k8s:app=xwing","k8s:version=v3"],"pod_name":"xwing","workloads":[{"name":"xwing","kind":"Pod"}]},"destination":{"namespace":"default","pod_name":"deathstar-7848d6c4d5-th9v2"},"Type":"L3_L4","node_name":"kind-kind/kind-worker","event_type":{"type":1,"sub_type":133},"traffic_direction":"INGRESS","drop_reason_desc":"POLICY_DENIED","is_reply":false},"node_name":"kind-kind/kind-worker","time":"2023-08-21T12:12:18.510175415Z"}""";

    private const string CamelCaseNumbers =
        """{"flow":{"time":"2023-08-21T12:12:18.510175415Z","verdict":2,"dropReason":133,"IP":{"source":"10.244.1.60","destination":"10.244.1.5","ipVersion":1},"l4":{"TCP":{"sourcePort":"44916","destinationPort":80,"flags":{"SYN":true}}},"source":{"identity":5,"namespace":"default","labels":["k8s:app=xwing","k8s:version=v3"],"podName":"xwing","workloads":[{"name":"xwing","kind":"Pod"}]},"destination":{"namespace":"default","podName":"deathstar-7848d6c4d5-th9v2"},"Type":1,"nodeName":"kind-kind/kind-worker","eventType":{"type":1,"subType":133},"trafficDirection":1,"dropReasonDesc":133,"isReply":false},"nodeName":"kind-kind/kind-worker","time":"2023-08-21T12:12:18.510175415Z"}""";

    [Fact]
    public void Snake_case_and_camel_case_with_numeric_enums_decode_to_the_same_flow()
    {
        var snake = Decode(SnakeCase);
        var camel = Decode(CamelCaseNumbers);

        foreach (var flow in new[] { snake, camel })
        {
            Assert.Equal(2, flow.Verdict);
            Assert.Equal(133, flow.DropReason);
            Assert.Equal(1, flow.FlowType);
            Assert.Equal(Layer4Case.TCP, flow.L4);
            Assert.Equal(TcpFlagSet.SYN, flow.TcpFlags);
            Assert.Equal(44916u, flow.SourcePort);
            Assert.Equal(80u, flow.DestinationPort);
            Assert.Equal(1, flow.IpVersion);
            Assert.Equal("default", flow.Source.Namespace);
            Assert.Equal("xwing", flow.Source.Workload);
            Assert.Equal("xwing", flow.Source.App);
            Assert.Equal("v3", flow.Source.Version);
            Assert.Equal(5u, flow.Source.Identity);
            Assert.Equal("default", flow.Destination.Namespace);
            Assert.Equal("kind-kind/kind-worker", flow.NodeName);
            Assert.True(flow.HasEventType);
            Assert.Equal(1, flow.EventType);
            Assert.Equal(133, flow.EventSubType);
            Assert.Equal(1, flow.TrafficDirection);
            Assert.False(flow.IsReply);
            Assert.Equal(DateTimeOffset.Parse("2023-08-21T12:12:18Z", null).ToUnixTimeSeconds() * 1_000_000_000 + 510_175_415, flow.TimeUnixNanos);
        }
    }

    [Fact]
    public void Http_response_with_64_bit_latency_as_a_string_or_number_decodes()
    {
        const string template =
            """{"flow":{"time":"1970-01-01T00:20:34.567800Z","verdict":"FORWARDED","Type":"L7","l7":{"type":"RESPONSE","latency_ns":LATENCY,"http":{"code":503,"method":"GET","url":"http://10.156.1.2:9253/metrics","protocol":"HTTP/1.1","headers":[{"key":"a","value":"b"}]}},"reply":true,"event_type":{"type":129},"traffic_direction":"EGRESS","is_reply":true},"node_name":"n","time":"1970-01-01T00:20:34.567800Z"}""";

        foreach (var latency in new[] { "\"999958359\"", "999958359" })
        {
            var flow = Decode(template.Replace("LATENCY", latency, StringComparison.Ordinal));
            Assert.Equal(L7Protocol.HTTP, flow.L7);
            Assert.Equal(2, flow.L7Type);
            Assert.Equal(999_958_359, flow.LatencyNs);
            Assert.Equal(503, flow.HttpCode);
            Assert.Equal("GET", flow.HttpMethod);
            Assert.Equal("HTTP/1.1", flow.HttpProtocol);
            Assert.True(flow.IsReply);
            Assert.Equal(1_234_567_800_000L, flow.TimeUnixNanos);
        }
    }

    [Fact]
    public void The_legacy_bare_flow_object_is_read_as_a_flow()
    {
        var flow = Decode("""{"time":"2021-10-04T14:28:38.735173594Z","verdict":"FORWARDED","Type":"L3_L4","node_name":"k8s1"}""");

        Assert.Equal(1, flow.Verdict);
        Assert.Equal("k8s1", flow.NodeName);
    }

    [Fact]
    public void Lost_events_line_reports_source_and_count()
    {
        var decoder = new HubbleJsonDecoder();
        var kind = decoder.Decode(
            """{"lost_events":{"source":"HUBBLE_RING_BUFFER","num_events_lost":"18446744073709551615"},"node_name":"n","time":"2021-10-04T14:28:38Z"}"""u8,
            new FlowRecord(), out var lost, out _);

        Assert.Equal(HubbleEventKind.LostEvents, kind);
        Assert.Equal(new LostEventsRecord(3, ulong.MaxValue), lost);
    }

    [Theory]
    [InlineData("not json", "invalid JSON literal")]
    [InlineData("""{"flow":{"verdict":"MAYBE"}}""", "flow.verdict: 'MAYBE' is not a Verdict")]
    [InlineData("""{"flow":{"l4":{"TCP":{"source_port":-1}}}}""", "flow.l4.source_port")]
    [InlineData("""{"flow":{"time":"2021-13-04T14:28:38Z"}}""", "flow.time")]
    [InlineData("""{"flow":{"source":[]}}""", "flow.source: expected an object")]
    [InlineData("""{"flow":{}} {"flow":{}}""", "invalid after a single JSON value")]
    [InlineData("""{"something":"else"}""", "no flow, lost_events")]
    public void Malformed_lines_say_what_is_wrong(string line, string expectedError)
    {
        var kind = new HubbleJsonDecoder().Decode(Encoding.UTF8.GetBytes(line), new FlowRecord(), out _, out var error);

        Assert.Equal(HubbleEventKind.Malformed, kind);
        Assert.Contains(expectedError, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Blank_lines_are_neither_flows_nor_malformed()
    {
        Assert.Equal(HubbleEventKind.Blank, new HubbleJsonDecoder().Decode("  \t"u8, new FlowRecord(), out _, out _));
    }

    [Fact]
    public void A_reused_record_carries_nothing_over_from_the_previous_flow()
    {
        var decoder = new HubbleJsonDecoder();
        var flow = new FlowRecord();
        decoder.Decode(Encoding.UTF8.GetBytes(SnakeCase), flow, out _, out _);
        decoder.Decode("""{"flow":{"verdict":"FORWARDED"}}"""u8, flow, out _, out _);

        Assert.Equal(0, flow.DropReason);
        Assert.Equal("", flow.Source.Namespace);
        Assert.Equal(Layer4Case.None, flow.L4);
        Assert.Null(flow.IsReply);
    }

    private static FlowRecord Decode(string line)
    {
        var flow = new FlowRecord();
        var kind = new HubbleJsonDecoder().Decode(Encoding.UTF8.GetBytes(line), flow, out _, out var error);
        Assert.True(kind == HubbleEventKind.Flow, error);
        return flow;
    }
}
