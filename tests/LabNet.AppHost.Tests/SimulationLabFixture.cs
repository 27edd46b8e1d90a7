using Microsoft.Extensions.Logging;

namespace LabNet.AppHost.Tests;

/// <summary>
/// One real AppHost in simulation mode, started once and shared by the tests of <see cref="SimulationLabCollection"/>:
/// each AppHost starts its own DCP and a process per resource, so two at once only make both slow.
/// </summary>
public sealed class SimulationLabFixture : IAsyncLifetime
{
    private DistributedApplication? _app;

    /// <summary>The test lab's kubeconfigs: never the ones a person's own lab wrote into the repository.</summary>
    public string KubeconfigDirectory { get; } = Directory.CreateTempSubdirectory("labnet-apphost-kubeconfig-").FullName;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The AppHost has not started.");

    public async Task InitializeAsync()
    {
        using var cts = new CancellationTokenSource(TestTimeouts.Build + TestTimeouts.Start);

        var builder = await DistributedApplicationTestingBuilder
            .CreateAsync<Projects.LabNet_AppHost>(["DOTNET_LAUNCH_PROFILE=http", $"LabNet:KubeconfigDirectory={KubeconfigDirectory}"], cts.Token)
            .WaitAsync(TestTimeouts.Build, cts.Token);

        builder.Services.AddLogging(logging => logging
            .SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Aspire.", LogLevel.Warning));

        _app = await builder.BuildAsync(cts.Token).WaitAsync(TestTimeouts.Build, cts.Token);
        await _app.StartAsync(cts.Token).WaitAsync(TestTimeouts.Start, cts.Token);
    }

    public async Task DisposeAsync()
    {
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
        }
    }
}

[CollectionDefinition(Name)]
public sealed class SimulationLabCollection : ICollectionFixture<SimulationLabFixture>
{
    public const string Name = "Simulation lab";
}
