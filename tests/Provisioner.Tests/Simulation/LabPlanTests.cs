using System.Text.Json.Nodes;

namespace LabNet.Provisioner.Tests.Simulation;

public sealed class LabPlanTests
{
    [Fact]
    public async Task The_plan_of_an_empty_mac_shows_every_change_and_the_expected_duration_before_anything_runs()
    {
        await using var lab = await SimulatedLab.StartAsync(RepositoryRoot.Combine("config", "clusters.json"));
        using var client = lab.Provisioner.CreateClient();

        using var response = await client.PostAsync("/api/lab/plan", null).WaitAsync(TimeSpan.FromMinutes(2));
        var plan = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.True(response.IsSuccessStatusCode, plan.ToJsonString());
        var clusters = plan["clusters"]!.AsArray();
        Assert.Equal(4, clusters.Count);
        Assert.All(clusters, cluster => Assert.Equal("image.pull", cluster!["steps"]![0]!["step"]!.GetValue<string>().Split('/').Last()));
        Assert.All(clusters, cluster => Assert.True(cluster!["changesToMake"]!.GetValue<int>() >= 17));

        var expected = TimeSpan.Parse(plan["expectedDuration"]!.GetValue<string>());
        var sequential = TimeSpan.Parse(plan["sequentialDuration"]!.GetValue<string>());
        Assert.True(expected * 3 <= sequential, $"expected {expected} vs one step after another {sequential}");

        // Planning changed nothing: no VM exists yet.
        using var http = new HttpClient { BaseAddress = lab.Simulator.Url };
        var calls = JsonNode.Parse(await http.GetStringAsync("/tools/steps"))!.AsArray();
        Assert.All(calls, call => Assert.StartsWith("tart list", call!["command"]!.GetValue<string>()));
    }
}
