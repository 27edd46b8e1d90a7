using System.Text.Json.Nodes;

namespace LabNet.Provisioner.Tests.Simulation;

public sealed class LabLifecycleTests
{
    [Fact]
    public async Task An_invalid_spec_is_refused_before_any_tool_runs()
    {
        var spec = Path.Combine(Path.GetTempPath(), $"labnet-invalid-{Guid.NewGuid():N}.json");
        var original = JsonNode.Parse(await File.ReadAllTextAsync(RepositoryRoot.Combine("config", "clusters.json")))!;
        original["clusters"]![1]!["nodes"]![0]!["cpu"] = 1;
        await File.WriteAllTextAsync(spec, original.ToJsonString());
        try
        {
            await using var lab = await SimulatedLab.StartAsync(spec);

            var result = await lab.ApplyAsync();

            Assert.Equal("invalid-spec", result["status"]!.GetValue<string>());
            Assert.Equal("$.clusters[1].nodes[0].cpu", result["problems"]![0]!["jsonPath"]!.GetValue<string>());
            Assert.Empty(await lab.ToolCallsAsync());
        }
        finally
        {
            File.Delete(spec);
        }
    }

    [Fact]
    public async Task Destroy_needs_confirmation_then_removes_every_vm_and_kubeconfig()
    {
        await using var lab = await SimulatedLab.StartAsync(RepositoryRoot.Combine("config", "clusters.json"));
        Assert.Equal("succeeded", (await lab.ApplyAsync())["status"]!.GetValue<string>());
        using var client = lab.Provisioner.CreateClient();
        client.Timeout = SimulatedLab.ApplyTimeout;

        using var unconfirmed = await client.PostAsync("/api/lab/destroy?wait=true", null);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, unconfirmed.StatusCode);
        Assert.Contains("dev-master", await lab.TartAsync("list"));

        using var destroyed = await client.PostAsync("/api/lab/destroy?confirm=yes&wait=true", null).WaitAsync(SimulatedLab.ApplyTimeout);
        var result = JsonNode.Parse(await destroyed.Content.ReadAsStringAsync())!;

        Assert.Equal("succeeded", result["status"]!.GetValue<string>());
        Assert.DoesNotContain("local", await lab.TartAsync("list"));
        Assert.Empty(Directory.GetFiles(lab.KubeconfigDirectory, "*.yaml"));
    }
}
