using LabNet.FlowCollector.Metrics;
using LabNet.FlowCollector.Tests.Support;

namespace LabNet.FlowCollector.Tests.Metrics;

public sealed class CaptureMetricsTests
{
    public static TheoryData<string> Captures =>
    [
        Capture.L3L4Tcp, Capture.L7Http, Capture.Drops, Capture.Dns, Capture.CamelCaseJsonpb, Capture.Malformed,
    ];

    [Theory]
    [MemberData(nameof(Captures))]
    public async Task Metrics_from_a_capture_equal_an_independent_count_of_it(string capture)
    {
        using var test = new TestPipeline();
        await test.IngestAsync(Capture.PathOf(capture));
        var expected = IndependentCounts.Of(Capture.PathOf(capture));

        Assert.True(expected.Flows > 0);
        Assert.Equal(expected.Flows, test.Aggregator.Flows);
        Assert.Equal(expected.ByVerdict, SumBy(test.Aggregator.FlowsProcessed(), "verdict"));
        Assert.Equal(expected.DropsByReason, SumBy(test.Aggregator.Drops(), "reason"));
        Assert.Equal(expected.TcpFlags, SumBy(test.Aggregator.TcpFlags(), "flag"));
        Assert.Equal(expected.HttpByMethod, SumBy(test.Aggregator.HttpRequests(), "method"));
        Assert.Equal(expected.HttpByStatus, SumBy(test.Aggregator.HttpRequests(), "status"));
        Assert.Equal(expected.HttpByDestinationVersion, SumBy(test.Aggregator.HttpRequests(), "destination_version"));
    }

    [Fact]
    public async Task Policy_denied_drops_are_counted_with_Hubble_reason_name_and_protocol()
    {
        using var test = new TestPipeline();
        await test.IngestAsync(Capture.PathOf(Capture.Drops));

        var policyDenied = test.Aggregator.Drops().Where(s => s.Label("reason") == "POLICY_DENIED").ToList();
        Assert.Equal(3, policyDenied.Sum(s => s.Value));
        Assert.All(policyDenied, s =>
        {
            Assert.Equal("TCP", s.Label("protocol"));
            Assert.Equal("demo", s.Label("destination_namespace"));
            Assert.Equal("httpbin-v1", s.Label("destination_workload"));
            Assert.Equal("redis", s.Label("source_workload"));
            Assert.Equal("lab-dev", s.Label("cluster"));
        });

        // An L7-denied request is DROPPED without a drop reason: Hubble counts it as DROP_REASON_UNKNOWN over HTTP.
        var l7Denied = Assert.Single(test.Aggregator.Drops(), s => s.Label("reason") == "DROP_REASON_UNKNOWN");
        Assert.Equal("HTTP", l7Denied.Label("protocol"));
    }

    [Fact]
    public async Task Flows_are_typed_like_Hubble_from_their_event_type()
    {
        using var test = new TestPipeline();
        await test.IngestAsync(Capture.PathOf(Capture.L3L4Tcp));
        await test.IngestAsync(Capture.PathOf(Capture.Dns));

        var flows = test.Aggregator.FlowsProcessed();
        long Count(string type, string subtype, string protocol) =>
            flows.Where(s => s.Label("type") == type && s.Label("subtype") == subtype && s.Label("protocol") == protocol).Sum(s => s.Value);

        Assert.Equal(4, Count("Trace", "to-stack", "TCP"));
        Assert.Equal(2, Count("Trace", "to-endpoint", "TCP"));
        Assert.Equal(2, Count("Trace", "from-endpoint", "UDP"));
        Assert.Equal(1, Count("PolicyVerdict", "", "TCP"));
        Assert.Equal(4, Count("L7", "DNS", "DNS"));
    }

    [Fact]
    public async Task Http_requests_are_counted_from_responses_in_the_request_direction()
    {
        using var test = new TestPipeline();
        await test.IngestAsync(Capture.PathOf(Capture.L7Http));

        var http = test.Aggregator.HttpRequests();
        Assert.Equal(8, http.Sum(s => s.Value));
        Assert.All(http, s =>
        {
            Assert.Equal("nginx-web", s.Label("source_workload"));
            Assert.StartsWith("httpbin-", s.Label("destination_workload"), StringComparison.Ordinal);
            Assert.Equal("HTTP/1.1", s.Label("protocol"));
        });
        Assert.Equal(7, http.Where(s => s.Label("reporter") == "server").Sum(s => s.Value));
        Assert.Equal(1, http.Where(s => s.Label("reporter") == "client").Sum(s => s.Value));
        Assert.Equal(1, http.Where(s => s.Label("destination_version") == "v2" && s.Label("status") == "503").Sum(s => s.Value));
    }

    [Fact]
    public async Task Lost_events_and_malformed_lines_are_counted_not_dropped_silently()
    {
        using var test = new TestPipeline();
        var result = await test.IngestAsync(Capture.PathOf(Capture.Malformed));

        Assert.Equal(6, result.MalformedLines);
        Assert.Equal(6, test.Aggregator.MalformedLines);
        Assert.Equal([2L, 4, 5, 6, 9, 10], result.FirstMalformed.Select(m => m.Line));
        Assert.All(result.FirstMalformed, m => Assert.Equal(Capture.PathOf(Capture.Malformed), m.File));
        Assert.Equal(42, test.Aggregator.LostEvents);
        Assert.Equal([KeyValuePair.Create("perf_event_ring_buffer", 42L)], test.Aggregator.LostEventsBySource());
        Assert.Equal(1, result.OtherEvents);
        Assert.Equal(3, result.Flows);
    }

    private static Dictionary<string, long> SumBy(IReadOnlyList<CounterSeries> series, string label) =>
        series.GroupBy(s => s.Label(label) ?? "").ToDictionary(g => g.Key, g => g.Sum(s => s.Value));
}
