using Microsoft.Extensions.Logging;

namespace LabNet.AppHost.Tests;

/// <summary>
/// One real AppHost in simulation mode, started once and shared by the tests of a collection: each AppHost starts its
/// own DCP and a process per resource, so two at once only make both slow. From the start it watches the httpbin
/// canary until it first reaches a terminal phase, so tests that drive the canary can wait for the scenario to finish.
/// With <paramref name="dashboard"/> the Aspire dashboard runs too, and its telemetry API shows the services' spans.
/// </summary>
public abstract class LabFixture(LabScenario scenario, bool dashboard = false) : IAsyncLifetime
{
    /// <summary>Lab applied, header probe, four steps at the demo's 10 requests/s to httpbin: about 5 minutes here.</summary>
    public static readonly TimeSpan CanaryConcludes = TimeSpan.FromMinutes(9);

    public const string Canary = "httpbin-canary";

    private readonly CancellationTokenSource _stopping = new();
    private DistributedApplication? _app;
    private Task<ResourceEvent?>? _canaryConcluded;

    /// <summary>The test lab's kubeconfigs: never the ones a person's own lab wrote into the repository.</summary>
    public string KubeconfigDirectory { get; } = Directory.CreateTempSubdirectory("labnet-apphost-kubeconfig-").FullName;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The AppHost has not started.");

    public Kubectl Dev => new(Path.Combine(KubeconfigDirectory, "dev.yaml"));

    /// <summary>The canary resource's first update in Promoted, RolledBack or Failed; null when it did not get there in <see cref="CanaryConcludes"/>.</summary>
    public Task<ResourceEvent?> CanaryConcluded => _canaryConcluded ?? throw new InvalidOperationException("The AppHost has not started.");

    public async Task InitializeAsync()
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
    }

    public async Task DisposeAsync()
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
            return await app.ResourceNotifications
                .WaitForResourceAsync(Canary, e => Property(e, "canary.phase") is "Promoted" or "RolledBack" or "Failed", cts.Token)
                .WaitAsync(CanaryConcludes, cts.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or TimeoutException)
        {
            return null;
        }
    }
}

/// <summary>The Default scenario: the whole lab applied at start, the canary ramps by itself.</summary>
public sealed class SimulationLabFixture() : LabFixture(LabScenario.Default);

/// <summary>The BadCanary scenario: as Default, and httpbin v2 breaks once the canary is Progressing. With the dashboard, for the decision spans.</summary>
public sealed class BadCanaryLabFixture() : LabFixture(LabScenario.BadCanary, dashboard: true);

[CollectionDefinition(Name)]
public sealed class SimulationLabCollection : ICollectionFixture<SimulationLabFixture>
{
    public const string Name = "Simulation lab";
}

[CollectionDefinition(Name)]
public sealed class BadCanaryLabCollection : ICollectionFixture<BadCanaryLabFixture>
{
    public const string Name = "Bad canary lab";
}

public sealed class EmptyLabFixture() : LabFixture(LabScenario.None);

[CollectionDefinition(Name)]
public sealed class EmptyLabCollection : ICollectionFixture<EmptyLabFixture>
{
    public const string Name = "Empty lab";
}
