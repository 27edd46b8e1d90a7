using LabNet.CanaryController.Analysis;
using LabNet.CanaryController.Kubernetes;
using LabNet.CanaryController.Tests.Kubernetes;
using LabNet.CanaryController.Traffic;
using LabNet.Traffic;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LabNet.CanaryController.Tests.Traffic;

/// <summary>The FlowCollector client: the real summary endpoint's answers mapped, and every failure turned into "metrics unavailable".</summary>
[Collection(SimulatorApiServerCollection.Name)]
public sealed class FlowCollectorClientTests(SimulatorApiServer server)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Summary_of_the_real_endpoint_maps_versions_to_stable_and_canary_over_the_asked_window()
    {
        await using var bed = await CanaryTestBed.StartAsync(server);
        bed.ApplyCanary();
        await bed.TickAsync(); // v1 100 / v2 0: the generated traffic is header traffic to v2
        var since = bed.Time.GetUtcNow();
        bed.Traffic(seconds: 5, requestsPerSecond: 50, headerRequestsPerSecond: 10, canaryErrorRate: 0.5);
        var client = Client(bed.FlowCollectorAddress, bed.Time);

        var observation = await client.GetTrafficAsync(new TrafficQuery("demo", "httpbin", "v1", "v2", since, TimeSpan.FromMinutes(1), "x-canary", "true"), CancellationToken.None).WaitAsync(Timeout);

        var summary = Assert.IsType<TrafficWindow>(observation);
        Assert.Equal((0, 50), (summary.Stable.ProbeRequests, summary.Canary.ProbeRequests));
        Assert.Equal(since + TimeSpan.FromSeconds(1), summary.WindowStart); // whole seconds after the last window's end
        Assert.Equal(bed.Time.GetUtcNow(), summary.WindowEnd);
        Assert.Equal(250, summary.Stable.Requests);
        Assert.Equal(0, summary.Stable.Status5xx);
        Assert.Equal(50, summary.Canary.Requests);
        Assert.Equal(25, summary.Canary.Status5xx);
        Assert.Equal((250, 50), (summary.Stable.Latency.Total, summary.Canary.Latency.Total));
        Assert.InRange(summary.Canary.Latency.QuantileMs(0.99)!.Value, 2, 11);
    }

    [Fact]
    public async Task Nothing_is_asked_when_no_time_passed_since_the_last_window()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));
        var client = Client(new Uri("http://127.0.0.1:9"), time);

        var observation = await client.GetTrafficAsync(new TrafficQuery("demo", "httpbin", "v1", "v2", time.GetUtcNow(), TimeSpan.FromMinutes(1)), CancellationToken.None).WaitAsync(Timeout);

        Assert.Null(observation);
    }

    [Fact]
    public async Task Connection_refused_is_metrics_unavailable()
    {
        await using var app = await StartAsync(_ => Task.CompletedTask);
        var address = new Uri(app.Urls.First());
        await app.StopAsync();

        var reason = await UnavailableReasonAsync(address);

        Assert.Contains("cannot be reached", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Server_error_is_metrics_unavailable_with_the_status()
    {
        await using var app = await StartAsync(context =>
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return context.Response.WriteAsync("relay down");
        });

        var reason = await UnavailableReasonAsync(new Uri(app.Urls.First()));

        Assert.Contains("503", reason, StringComparison.Ordinal);
        Assert.Contains("relay down", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Slow_answer_is_metrics_unavailable_after_the_timeout()
    {
        await using var app = await StartAsync(async context => await Task.Delay(TimeSpan.FromSeconds(20), context.RequestAborted));

        var reason = await UnavailableReasonAsync(new Uri(app.Urls.First()), TimeSpan.FromMilliseconds(200));

        Assert.Contains("did not answer", reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Answer_that_is_not_a_summary_is_metrics_unavailable()
    {
        await using var app = await StartAsync(context =>
        {
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync("{\"versions\": 7}");
        });

        var reason = await UnavailableReasonAsync(new Uri(app.Urls.First()));

        Assert.Contains("not a traffic summary", reason, StringComparison.Ordinal);
    }

    private static async Task<string> UnavailableReasonAsync(Uri address, TimeSpan? timeout = null)
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var client = Client(address, time, timeout);
        var observation = await client.GetTrafficAsync(new TrafficQuery("demo", "httpbin", "v1", "v2", time.GetUtcNow() - TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(1)), CancellationToken.None).WaitAsync(Timeout);
        return Assert.IsType<MetricsUnavailable>(observation).Reason;
    }

    private static FlowCollectorClient Client(Uri address, TimeProvider time, TimeSpan? timeout = null) =>
        new(new SingleHttpClientFactory(address), time,
            Options.Create(new CanaryControllerOptions { Kubeconfig = "dev.yaml", FlowCollector = address, FlowCollectorTimeout = timeout ?? TimeSpan.FromSeconds(5) }),
            NullLogger<FlowCollectorClient>.Instance);

    private static async Task<WebApplication> StartAsync(RequestDelegate handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        app.Run(handler);
        await app.StartAsync().WaitAsync(Timeout);
        return app;
    }
}
