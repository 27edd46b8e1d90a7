namespace LabNet.AppHost.Tests;

[Collection(SimulationLabCollection.Name)]
public sealed class DefaultScenarioTests(SimulationLabFixture lab)
{
    private static readonly TimeSpan LabApplied = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task The_default_scenario_provisions_every_cluster_and_the_lab_resource_shows_it()
    {
        using var cts = new CancellationTokenSource(LabApplied);

        var applied = await lab.App.ResourceNotifications
            .WaitForResourceAsync("lab", e => Property(e, "lab.last") is "succeeded" or "failed", cts.Token)
            .WaitAsync(LabApplied, cts.Token);

        Assert.Equal(KnownResourceStates.Running, applied.Snapshot.State?.Text);
        Assert.Equal("succeeded", Property(applied, "lab.last"));
        foreach (var cluster in new[] { "platform", "dev", "staging", "prod" })
        {
            Assert.StartsWith("Succeeded", Property(applied, $"lab.cluster.{cluster}"));
            Assert.True(File.Exists(Path.Combine(lab.KubeconfigDirectory, $"{cluster}.yaml")), $"no kubeconfig for {cluster}");
        }
    }

    [Fact]
    public async Task The_plan_command_answers_with_the_labs_plan()
    {
        using var cts = new CancellationTokenSource(LabApplied);
        await lab.App.ResourceNotifications
            .WaitForResourceAsync("lab", e => Property(e, "lab.last") is "succeeded" or "failed", cts.Token)
            .WaitAsync(LabApplied, cts.Token);

        var result = await lab.App.ResourceCommands.ExecuteCommandAsync("lab", "lab-plan", cts.Token).WaitAsync(LabApplied, cts.Token);

        Assert.True(result.Success, result.Message);
        Assert.Contains("\"expectedDuration\"", result.Message);
    }

    private static string? Property(ResourceEvent resourceEvent, string name) =>
        resourceEvent.Snapshot.Properties.FirstOrDefault(p => p.Name == name)?.Value?.ToString();
}
