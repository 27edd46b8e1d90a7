using Microsoft.Extensions.Logging;

namespace LabNet.AppHost.Tests;

/// <summary>
/// One real AppHost in simulation mode, started once and shared by the tests of an assembly or a collection. The two labs (the
/// Default scenario and an empty one) run side by side: most of a canary test is waiting for the analysis on the wall
/// clock, and every relay takes a free port (<c>LabNet:Simulation:RelayPorts=Free</c>), so they do not collide.
/// From the start it watches the httpbin canary until it first reaches a terminal phase, so tests that drive the
/// canary can wait for the scenario to finish. With <paramref name="dashboard"/> the Aspire dashboard runs too, and its
/// telemetry API shows the services' spans. With <paramref name="fastTraffic"/> the fixture doubles the demo's traffic
/// through the traffic resource's command as soon as it runs (before the lab is applied), and doubles it again the
/// moment the first rollout reaches its first weighted step: the canary gets its samples per step in a quarter of the
/// time, and that first rollout goes through a sudden doubling of the traffic (<see cref="MidRolloutDoubling"/>),
/// which an A/A canary must survive.
/// </summary>
/// <param name="spec">The lab spec the AppHost applies (<c>LabNet:SpecPath</c>); the original lab's when null.</param>
public abstract class LabFixture(LabScenario scenario, bool dashboard = false, bool fastTraffic = false, string? spec = null) : IAsyncLifetime
{
    /// <summary>Lab applied, header probe, four steps at two to four times the demo's 50 requests/s to httpbin: about 2 minutes here, alone.</summary>
    public static readonly TimeSpan CanaryConcludes = TimeSpan.FromMinutes(9);

    public const string Canary = "httpbin-canary";

    private readonly CancellationTokenSource _stopping = new();
    private DistributedApplication? _app;
    private Task<ResourceEvent?>? _canaryConcluded;
    private TrafficDoubling? _midRolloutDoubling;
    private DateTimeOffset? _canaryConcludedAt;

    /// <summary>The test lab's kubeconfigs: never the ones a person's own lab wrote into the repository.</summary>
    public string KubeconfigDirectory { get; } = Directory.CreateTempSubdirectory("labnet-apphost-kubeconfig-").FullName;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The AppHost has not started.");

    public Kubectl Dev => Kubectl("dev");

    public Kubectl Kubectl(string cluster) => new(Path.Combine(KubeconfigDirectory, $"{cluster}.yaml"));

    /// <summary>The canary resource's first update in Promoted, RolledBack or Failed; null when it did not get there in <see cref="CanaryConcludes"/>.</summary>
    public Task<ResourceEvent?> CanaryConcluded => _canaryConcluded ?? throw new InvalidOperationException("The AppHost has not started.");

    /// <summary>The second doubling of the traffic, during the first rollout (with fast traffic); null until it happened.</summary>
    public TrafficDoubling? MidRolloutDoubling => _midRolloutDoubling;

    /// <summary>When the watcher saw <see cref="CanaryConcluded"/>: what the canary did before this was the first rollout.</summary>
    public DateTimeOffset CanaryConcludedAt => _canaryConcludedAt ?? throw new InvalidOperationException("The canary has not concluded.");

    public async ValueTask InitializeAsync()
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Build + TestTimeouts.Start);

        var builder = await DistributedApplicationTestingBuilder
            .CreateAsync<Projects.LabNet_AppHost>(
                new DistributedApplicationTestingBuilderOptions { EnableDashboard = dashboard },
                [
                    "DOTNET_LAUNCH_PROFILE=http", $"LabNet:KubeconfigDirectory={KubeconfigDirectory}", $"LabNet:Scenario={scenario}",
                    // Modeled time (VM boots, image pulls, kubeadm) does not matter here: applies go faster than at the
                    // default 60. Traffic, canary analysis and outlier detection run on the wall clock at any speed.
                    "LabNet:Simulation:SpeedFactor=600",
                    "LabNet:Simulation:RelayPorts=Free",
                    $"LabNet:SpecPath={spec ?? LabSpecFiles.Original}",
                    // The dashboard's telemetry API without a key: loopback only, as under `dotnet run`.
                    "ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true",
                ],
                cts.Token)
            .WaitAsync(TestTimeouts.Build, cts.Token);

        builder.Services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Aspire.", LogLevel.Warning));

        _app = await builder.BuildAsync(cts.Token).WaitAsync(TestTimeouts.Build, cts.Token);
        _canaryConcluded = WatchCanaryAsync(_app);
        await _app.StartAsync(cts.Token).WaitAsync(TestTimeouts.Start, cts.Token);
        if (fastTraffic)
        {
            await _app.ResourceNotifications.WaitForResourceAsync("traffic", KnownResourceStates.Running, cts.Token).WaitAsync(TestTimeouts.Start, cts.Token);
            var doubled = await _app.CommandAsync("traffic", "traffic-rate-up", cts.Token);
            if (!doubled.Success)
            {
                throw new InvalidOperationException($"The traffic resource did not double the demo's rate: {doubled.Message}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        if (_app is null)
        {
            return;
        }

        try
        {
            await _app.StopAsync().WaitAsync(TestTimeouts.Stop);
        }
        finally
        {
            await _app.DisposeAsync().AsTask().WaitAsync(TestTimeouts.Stop);
            Directory.Delete(KubeconfigDirectory, recursive: true);
            _stopping.Dispose();
        }
    }

    public static string? Property(ResourceEvent resourceEvent, string name) =>
        resourceEvent.Snapshot.Properties.FirstOrDefault(p => p.Name == name)?.Value?.ToString();

    private async Task<ResourceEvent?> WatchCanaryAsync(DistributedApplication app)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
        cts.CancelAfter(CanaryConcludes);
        try
        {
            if (fastTraffic)
            {
                var weighted = await app.ResourceNotifications
                    .WaitForResourceAsync(Canary, e => Property(e, "canary.phase") == "Progressing" && Property(e, "canary.weight")?.StartsWith("canary 0%", StringComparison.Ordinal) == false, cts.Token)
                    .WaitAsync(CanaryConcludes, cts.Token);
                var doubled = await app.CommandAsync("traffic", "traffic-rate-up", cts.Token);
                _midRolloutDoubling = new TrafficDoubling(DateTimeOffset.UtcNow, Property(weighted, "canary.weight"), doubled.Success, doubled.Message);
            }

            var concluded = await app.ResourceNotifications
                .WaitForResourceAsync(Canary, e => Property(e, "canary.phase") is "Promoted" or "RolledBack" or "Failed", cts.Token)
                .WaitAsync(CanaryConcludes, cts.Token);
            _canaryConcludedAt = DateTimeOffset.UtcNow;
            return concluded;
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
            return null;
        }
    }
}

/// <summary>A doubling of the demo's traffic through the traffic resource's command: when, at which canary weight, and what the command answered.</summary>
public sealed record TrafficDoubling(DateTimeOffset At, string? CanaryWeight, bool Success, string? Message);

/// <summary>
/// The Default scenario with the dashboard (for the decision spans), at twice the demo's traffic and four times from the
/// first rollout's first weighted step on: the whole lab applied at start, the canary ramps by itself; the canary tests
/// then restart it and break httpbin v2 through the traffic API.
/// </summary>
public sealed class SimulationLabFixture() : LabFixture(LabScenario.Default, dashboard: true, fastTraffic: true);

/// <summary>
/// The tests that drive the Default lab's canary, its traffic or its faults, one after another (each leaves the lab
/// as it found it). The lab itself is an assembly fixture: the tests that only look at it run beside these.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SimulationLabCollection
{
    public const string Name = "Simulation lab";
}

/// <summary>
/// The None scenario on a one-cluster lab (staging, from the original spec): the AppHost runs, nothing is applied until
/// a test uses the lab's commands. One cluster proves the commands; four would only make the other lab wait.
/// </summary>
public sealed class EmptyLabFixture() : LabFixture(LabScenario.None, spec: LabSpecFiles.With(Cluster))
{
    public const string Cluster = "staging";
}

[CollectionDefinition(Name)]
public sealed class EmptyLabCollection : ICollectionFixture<EmptyLabFixture>
{
    public const string Name = "Empty lab";
}
