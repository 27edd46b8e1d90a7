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
    public async Task A_running_apply_refuses_another_and_destroy_needs_confirmation_then_removes_every_vm_and_kubeconfig()
    {
        await using var lab = await SimulatedLab.StartAsync(SimulatedLab.SpecWith("staging", "prod"));
        using var client = lab.Provisioner.CreateClient();
        client.Timeout = SimulatedLab.ApplyTimeout;

        // While an apply runs, another is refused and names the running operation to wait for instead.
        using var apply = await client.PostAsync("/api/lab/apply", null);
        var applyId = (string)JsonNode.Parse(await apply.Content.ReadAsStringAsync())!["operationId"]!;
        using var second = await client.PostAsync("/api/lab/apply", null);
        var busy = JsonNode.Parse(await second.Content.ReadAsStringAsync())!;
        Assert.Equal(System.Net.HttpStatusCode.Conflict, second.StatusCode);
        Assert.Equal(("busy", applyId), ((string)busy["status"]!, (string)busy["operationId"]!));
        using var applied = await client.GetAsync($"/api/lab/operations/{applyId}?wait=true").WaitAsync(SimulatedLab.ApplyTimeout);
        Assert.Equal("succeeded", (string?)JsonNode.Parse(await applied.Content.ReadAsStringAsync())!["result"]!["status"]);

        using var unconfirmed = await client.PostAsync("/api/lab/destroy?wait=true", null);
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, unconfirmed.StatusCode);
        Assert.Contains("staging-master", await lab.TartAsync("list"));

        using var destroyed = await client.PostAsync("/api/lab/destroy?confirm=yes&wait=true", null).WaitAsync(SimulatedLab.ApplyTimeout);
        var result = JsonNode.Parse(await destroyed.Content.ReadAsStringAsync())!;

        Assert.Equal("succeeded", result["status"]!.GetValue<string>());
        Assert.DoesNotContain("local", await lab.TartAsync("list"));
        Assert.Empty(Directory.GetFiles(lab.KubeconfigDirectory, "*.yaml"));
    }
}
