extern alias FlowCollectorService;

using FlowCollectorService::LabNet.FlowCollector.Flows;
using FlowCollectorService::LabNet.FlowCollector.Metrics;
using LabNet.CanaryController.Analysis;
using LabNet.CanaryController.Kubernetes;
using LabNet.CanaryController.Resources;
using LabNet.CanaryController.Traffic;
using LabNet.Traffic;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LabNet.CanaryController.Tests.Traffic;

/// <summary>
/// The traffic summary contract with both ends running: the FlowCollector service (its Program, its ingestion pipeline,
/// its <c>GET /api/traffic/summary</c>) in-process on a fake clock, and the CanaryController's
/// <see cref="FlowCollectorClient"/> reading it. What the collector recorded is what the analysis gets.
/// </summary>
public sealed class TrafficSummaryContractTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));
    private readonly Random random = new(7);
    private WebApplicationFactory<FlowCollectorService::Program> collector = null!;
    private FlowPipeline pipeline = null!;
    private FlowCollectorClient client = null!;

    public ValueTask InitializeAsync()
    {
        collector = new WebApplicationFactory<FlowCollectorService::Program>()
            .WithWebHostBuilder(web => web.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock)));
        pipeline = collector.Services.GetRequiredService<FlowPipeline>();
        var http = collector.CreateClient();
        client = new FlowCollectorClient(new SingleClientFactory(http), clock,
            Options.Create(new CanaryControllerOptions { Kubeconfig = "dev.yaml", FlowCollector = http.BaseAddress! }), NullLogger<FlowCollectorClient>.Instance);
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await collector.DisposeAsync();

    [Fact]
    public async Task The_controller_gets_each_versions_counts_and_latency_histogram_as_the_collector_recorded_them()
    {
        var since = clock.GetUtcNow();
        var stable = new LatencyHistogramBuilder();
        var canary = new LatencyHistogramBuilder();
        for (var second = 0; second < 5; second++)
        {
            clock.Advance(TimeSpan.FromSeconds(1));
            for (var i = 0; i < 40; i++)
            {
                stable.AddNanos(Respond("v1", 200, LatencyNanos(8, 40)));
            }

            for (var i = 0; i < 10; i++)
            {
                canary.AddNanos(Respond("v2", i == 0 ? 503 : 200, LatencyNanos(30, 300), probe: i < 2 ? "true" : ""));
            }
        }

        var window = await ReadAsync(since);

        Assert.Equal((200, 0, 0), (window.Stable.Requests, window.Stable.Status5xx, window.Stable.ProbeRequests));
        Assert.Equal((50, 5, 10), (window.Canary.Requests, window.Canary.Status5xx, window.Canary.ProbeRequests));
        Assert.Equal(stable.ToHistogram(), window.Stable.Latency);
        Assert.Equal(canary.ToHistogram(), window.Canary.Latency);
        Assert.Equal(Math.Round(window.Canary.Latency.QuantileMs(0.99)!.Value, 3), window.Canary.LatencyP99Ms);
        Assert.True(window.Canary.Latency.QuantileMs(0.99) > window.Stable.Latency.QuantileMs(0.99));
        Assert.Null(window.Problem());
    }

    [Fact]
    public async Task The_latency_tail_e_value_moves_when_the_canary_is_slower_and_stays_near_1_when_it_is_not()
    {
        var same = await LatencyTailEValuesAsync(canaryMedianMs: 8, canaryP99Ms: 40);
        clock.Advance(TimeSpan.FromMinutes(10)); // past the collector's retention: the second run starts empty
        var slower = await LatencyTailEValuesAsync(canaryMedianMs: 16, canaryP99Ms: 120);

        Assert.All(same, e => Assert.True(e < 10, $"identical latencies gave e-values {string.Join(", ", same)}"));
        Assert.True(slower[^1] > 1000, $"a canary twice as slow gave e-values {string.Join(", ", slower)}");
        Assert.True(slower[^1] > slower[1], "the e-value grows window after window");
    }

    /// <summary>Ten 5 s windows of stable (8 ms median, 40 ms p99) and canary traffic, each read through the client and analysed.</summary>
    private async Task<IReadOnlyList<double>> LatencyTailEValuesAsync(double canaryMedianMs, double canaryP99Ms)
    {
        var spec = Fixtures.Spec;
        var status = new CanaryStatus { CanaryWeight = 20, StepIndex = 0 };
        var eValues = new List<double>();
        for (var tick = 0; tick < 10; tick++)
        {
            var since = clock.GetUtcNow();
            for (var second = 0; second < 5; second++)
            {
                clock.Advance(TimeSpan.FromSeconds(1));
                for (var i = 0; i < 40; i++)
                {
                    Respond("v1", 200, LatencyNanos(8, 40));
                }

                for (var i = 0; i < 10; i++)
                {
                    Respond("v2", 200, LatencyNanos(canaryMedianMs, canaryP99Ms));
                }
            }

            var result = CanaryAnalyzer.Analyse(spec, status, await ReadAsync(since), countsForStep: true);
            status = result.RecordedIn(status);
            eValues.Add(result.Evidence.LatencyTailEValue!.Value);
        }

        return eValues;
    }

    private async Task<TrafficWindow> ReadAsync(DateTimeOffset since)
    {
        var observation = await client.GetTrafficAsync(new TrafficQuery("demo", "httpbin", "v1", "v2", since, TimeSpan.FromMinutes(1), "x-canary", "true"), CancellationToken.None).WaitAsync(Timeout);
        return Assert.IsType<TrafficWindow>(observation);
    }

    /// <summary>A log-normal latency with this median and p99, in nanoseconds.</summary>
    private long LatencyNanos(double medianMs, double p99Ms)
    {
        var gaussian = Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
        return (long)(medianMs * Math.Exp(Math.Log(p99Ms / medianMs) / 2.326347874 * gaussian) * 1e6);
    }

    /// <summary>httpbin's response at <paramref name="version"/> to nginx-web, as its proxy reports it to Hubble, through the collector's pipeline.</summary>
    private long Respond(string version, int code, long latencyNanos, string probe = "")
    {
        var flow = new FlowRecord
        {
            Verdict = HubbleLabels.VerdictForwarded,
            L7 = L7Protocol.HTTP,
            L7Type = HubbleLabels.L7Response,
            TrafficDirection = HubbleLabels.DirectionIngress,
            HttpCode = code,
            HttpMethod = "GET",
            LatencyNs = latencyNanos,
            ProbeHeaderValue = probe,
        };
        flow.Source.Namespace = "demo";
        flow.Source.App = "httpbin";
        flow.Source.Version = version;
        flow.Destination.Namespace = "demo";
        flow.Destination.App = "nginx-web";
        pipeline.Process(flow, "dev");
        return latencyNanos;
    }

    private sealed class SingleClientFactory(HttpClient http) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => http;
    }
}
