extern alias FlowCollectorService;

using FlowCollectorService::LabNet.FlowCollector;
using FlowCollectorService::LabNet.FlowCollector.Traffic;
using LabNet.CanaryController.Kubernetes;
using LabNet.CanaryController.Traffic;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace LabNet.Benchmarks.CanaryQuality;

/// <summary>
/// The FlowCollector as it runs in the lab (its services and endpoints, <c>AddFlowCollector</c>/<c>MapFlowCollector</c>)
/// on an in-memory server and a fake clock, and the CanaryController's <see cref="FlowCollectorClient"/> pointed at it:
/// simulated flows go into the collector's <see cref="TrafficRecorder"/>, decisions read its summary over HTTP, as
/// the controller does. One host serves one run at a time; between runs the clock moves past the recorder's retention,
/// so a run sees only its own traffic.
/// </summary>
public sealed class FlowCollectorHost : IAsyncDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly WebApplication app;

    private FlowCollectorHost(WebApplication app, FakeTimeProvider clock)
    {
        this.app = app;
        Clock = clock;
        Recorder = app.Services.GetRequiredService<TrafficRecorder>();
        var http = app.GetTestServer().CreateClient();
        var options = Options.Create(new CanaryControllerOptions { Kubeconfig = "unused", FlowCollector = http.BaseAddress!, FlowCollectorTimeout = TimeSpan.FromSeconds(30) });
        Client = new FlowCollectorClient(new OneClient(http), clock, options, NullLogger<FlowCollectorClient>.Instance);
    }

    public FakeTimeProvider Clock { get; }

    public TrafficRecorder Recorder { get; }

    public FlowCollectorClient Client { get; }

    public static async Task<FlowCollectorHost> StartAsync()
    {
        var clock = new FakeTimeProvider(Start);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseTestServer();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<TimeProvider>(clock);
        builder.AddFlowCollector();
        var app = builder.Build();
        app.MapFlowCollector();
        await app.StartAsync();
        return new FlowCollectorHost(app, clock);
    }

    /// <summary>
    /// The start of a new run: a whole second after every second the recorder still holds. The clock stands a second
    /// before it, so the run only ever moves it forward.
    /// </summary>
    public DateTimeOffset NextRun()
    {
        var next = DateTimeOffset.FromUnixTimeSeconds(Clock.GetUtcNow().ToUnixTimeSeconds() + TrafficRecorder.RetentionSeconds + 10);
        Clock.AdjustTime(next - TimeSpan.FromSeconds(1));
        return next;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();

    private sealed class OneClient(HttpClient http) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => http;
    }
}
