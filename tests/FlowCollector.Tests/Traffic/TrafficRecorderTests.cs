using LabNet.FlowCollector.Flows;
using LabNet.FlowCollector.Traffic;
using Microsoft.Extensions.Time.Testing;

namespace LabNet.FlowCollector.Tests.Traffic;

public sealed class TrafficRecorderTests
{
    [Fact]
    public void Summary_gives_per_version_requests_status_classes_success_rate_and_share()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero));
        var recorder = new TrafficRecorder(time);
        var random = new Random(7);
        for (var i = 0; i < 1_000; i++)
        {
            var canary = i % 5 == 0;
            var code = canary && random.Next(10) == 0 ? 503 : i % 50 == 1 ? 404 : 200;
            recorder.Record(Response(canary ? "v2" : "v1", code, 5_000_000));
            if (i % 100 == 0)
            {
                time.Advance(TimeSpan.FromSeconds(1));
            }
        }

        recorder.Record(Drop("v1"));
        var summary = recorder.Summarize("demo", "httpbin", TimeSpan.FromSeconds(30));

        Assert.Equal(["v1", "v2"], summary.Versions.Select(v => v.Version));
        var v1 = summary.Versions[0];
        var v2 = summary.Versions[1];
        Assert.Equal(800, v1.Requests);
        Assert.Equal(200, v2.Requests);
        Assert.Equal(0.8, v1.Share);
        Assert.Equal(1_000, summary.Total.Requests);
        Assert.Equal(1, v1.Drops);
        Assert.Equal(v1.Requests, v1.Status2xx + v1.Status4xx + v1.Status5xx);
        Assert.Equal(0, v1.Status5xx);
        Assert.Equal(1.0, v1.SuccessRate);
        Assert.Equal((double)(v2.Requests - v2.Status5xx) / v2.Requests, v2.SuccessRate);
        Assert.InRange(v2.Status5xx, 1, 60);
    }

    [Fact]
    public void Latency_percentiles_are_within_5_percent_of_the_exact_ones()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero));
        var recorder = new TrafficRecorder(time);
        var random = new Random(11);
        var latencies = new List<long>();
        for (var i = 0; i < 10_000; i++)
        {
            // Log-normal around 20 ms, the shape of service latency.
            var nanos = (long)(20_000_000 * Math.Exp(0.6 * Gaussian(random)));
            latencies.Add(nanos);
            recorder.Record(Response("v1", 200, nanos));
            if (i % 500 == 0)
            {
                time.Advance(TimeSpan.FromSeconds(1));
            }
        }

        var v1 = Assert.Single(recorder.Summarize("demo", "httpbin", TimeSpan.FromSeconds(60)).Versions);
        latencies.Sort();
        double Exact(double q) => latencies[(int)Math.Ceiling(q * latencies.Count) - 1] / 1e6;

        Assert.InRange(v1.LatencyP50Ms!.Value, Exact(0.50), Exact(0.50) * 1.05);
        Assert.InRange(v1.LatencyP90Ms!.Value, Exact(0.90), Exact(0.90) * 1.05);
        Assert.InRange(v1.LatencyP99Ms!.Value, Exact(0.99), Exact(0.99) * 1.05);
    }

    [Fact]
    public void Traffic_older_than_the_window_is_not_in_the_summary()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero));
        var recorder = new TrafficRecorder(time);
        recorder.Record(Response("v1", 500, 1_000_000));
        time.Advance(TimeSpan.FromSeconds(31));
        recorder.Record(Response("v1", 200, 1_000_000));

        var v1 = Assert.Single(recorder.Summarize("demo", "httpbin", TimeSpan.FromSeconds(30)).Versions);

        Assert.Equal(1, v1.Requests);
        Assert.Equal(0, v1.Status5xx);
        Assert.Equal(2, Assert.Single(recorder.Summarize("demo", "httpbin", TimeSpan.FromSeconds(60)).Versions).Requests);
    }

    [Fact]
    public void A_request_reported_by_both_proxies_is_counted_once()
    {
        var recorder = new TrafficRecorder(new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero)));
        for (var i = 0; i < 10; i++)
        {
            var server = Response("v1", 200, 1_000_000);
            server.TrafficDirection = 1;
            var client = Response("v1", 200, 1_200_000);
            client.TrafficDirection = 2;
            recorder.Record(server);
            recorder.Record(client);
        }

        var summary = recorder.Summarize("demo", "httpbin", TimeSpan.FromSeconds(30));

        Assert.Equal("server", summary.Reporter);
        Assert.Equal(10, Assert.Single(summary.Versions).Requests);
    }

    [Fact]
    public void A_service_without_traffic_has_no_versions_and_no_rates()
    {
        var summary = new TrafficRecorder(new FakeTimeProvider()).Summarize("demo", "httpbin", TimeSpan.FromSeconds(30));

        Assert.Empty(summary.Versions);
        Assert.Equal(0, summary.Total.Requests);
        Assert.Null(summary.Total.SuccessRate);
        Assert.Null(summary.Total.LatencyP99Ms);
    }

    // An HTTP response from httpbin (version) to nginx-web: the request went to httpbin.
    [Fact]
    public void Requests_routed_by_the_probe_header_are_counted_apart_per_version()
    {
        var recorder = new TrafficRecorder(new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero)));
        // Weighted 80/20 for 900 requests, plus 100 header-routed requests that all go to v2.
        for (var i = 0; i < 900; i++)
        {
            recorder.Record(Response(i % 5 == 0 ? "v2" : "v1", 200, 1_000_000));
        }

        for (var i = 0; i < 100; i++)
        {
            recorder.Record(Response("v2", 200, 1_000_000, probe: "true"));
        }

        recorder.Record(Response("v2", 200, 1_000_000, probe: "false"));

        var summary = recorder.Summarize("demo", "httpbin", TimeSpan.FromSeconds(30), probeValue: "true");
        var v1 = summary.Versions.Single(v => v.Version == "v1");
        var v2 = summary.Versions.Single(v => v.Version == "v2");

        Assert.Equal((720, 0), (v1.Requests, v1.ProbeRequests));
        Assert.Equal((281, 100), (v2.Requests, v2.ProbeRequests));
        Assert.Equal(0, recorder.Summarize("demo", "httpbin", TimeSpan.FromSeconds(30)).Versions.Sum(v => v.ProbeRequests));
    }

    private static FlowRecord Response(string version, int code, long latencyNanos, string probe = "")
    {
        var flow = new FlowRecord { Verdict = 1, FlowType = 2, L7 = L7Protocol.HTTP, L7Type = 2, HttpCode = code, HttpMethod = "GET", LatencyNs = latencyNanos, ProbeHeaderValue = probe };
        flow.Source.Namespace = "demo";
        flow.Source.App = "httpbin";
        flow.Source.Version = version;
        flow.Destination.Namespace = "demo";
        flow.Destination.App = "nginx-web";
        return flow;
    }

    private static FlowRecord Drop(string version)
    {
        var flow = new FlowRecord { Verdict = 2, DropReason = 133, L4 = Layer4Case.TCP };
        flow.Source.Namespace = "demo";
        flow.Source.App = "redis";
        flow.Destination.Namespace = "demo";
        flow.Destination.App = "httpbin";
        flow.Destination.Version = version;
        return flow;
    }

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
}
