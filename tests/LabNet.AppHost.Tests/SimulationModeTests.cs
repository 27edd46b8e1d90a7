namespace LabNet.AppHost.Tests;

public sealed class SimulationModeTests(SimulationLabFixture lab)
{
    [Theory]
    [InlineData("simulator")]
    [InlineData("provisioner")]
    [InlineData("flowcollector")]
    [InlineData("canarycontroller")]
    public async Task Every_resource_of_simulation_mode_becomes_running_and_healthy(string resource)
    {
        using var cts = new CancellationTokenSource(TestTimeouts.ResourceHealthy);

        await lab.App.ResourceNotifications
            .WaitForResourceHealthyAsync(resource, cts.Token)
            .WaitAsync(TestTimeouts.ResourceHealthy, cts.Token);

        Assert.True(lab.App.ResourceNotifications.TryGetCurrentState(resource, out var state));
        Assert.Equal(KnownResourceStates.Running, state.Snapshot.State?.Text);
        Assert.Equal(Microsoft.Extensions.Diagnostics.HealthChecks.HealthStatus.Healthy, state.Snapshot.HealthStatus);
    }

    [Theory]
    [InlineData("simulator")]
    [InlineData("provisioner")]
    [InlineData("flowcollector")]
    [InlineData("canarycontroller")]
    public async Task Every_service_answers_its_liveness_probe_over_http(string resource)
    {
        using var cts = new CancellationTokenSource(TestTimeouts.ResourceHealthy);
        await lab.App.ResourceNotifications
            .WaitForResourceHealthyAsync(resource, cts.Token)
            .WaitAsync(TestTimeouts.ResourceHealthy, cts.Token);

        using var client = lab.App.CreateHttpClient(resource);
        using var response = await client.GetAsync("/alive", cts.Token).WaitAsync(TestTimeouts.ResourceHealthy, cts.Token);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(IsLoopback(client.BaseAddress!), $"{resource} is reached at {client.BaseAddress}, which is not loopback.");
    }

    private static bool IsLoopback(Uri address) =>
        address.IsLoopback || (IPAddress.TryParse(address.Host, out var ip) && IPAddress.IsLoopback(ip));
}
