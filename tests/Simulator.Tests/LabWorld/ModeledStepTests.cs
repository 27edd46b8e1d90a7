using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace LabNet.Simulator.Tests.LabWorld;

public sealed class ModeledStepTests
{
    [Fact]
    public async Task The_simulator_reports_the_modeled_time_of_each_step_without_secrets()
    {
        await using var world = new LabWorldFactory();
        var spec = LabSpec.Load();
        var install = new OriginalLabInstall(world.Tools(), spec with { Clusters = [spec.Clusters.Single(c => c.Name == "dev")] });
        await install.UpToJoinAsync().WaitAsync(TimeSpan.FromMinutes(2));
        using var http = world.CreateClient();

        var steps = (await http.GetFromJsonAsync<JsonArray>("/tools/steps"))!;

        var pull = steps.First(s => s!["command"]!.GetValue<string>().StartsWith("tart pull", StringComparison.Ordinal))!;
        Assert.Equal(90, pull["modeledSeconds"]!.GetValue<double>());
        var init = steps.Single(s => s!["command"]!.GetValue<string>().StartsWith("ssh", StringComparison.Ordinal) && s["modeledSeconds"]!.GetValue<double>() >= 85)!;
        Assert.Equal(0, init["exitCode"]!.GetValue<int>());
        Assert.Equal(85.3, init["modeledSeconds"]!.GetValue<double>(), precision: 3);
        Assert.All(steps, s => Assert.DoesNotContain("SSHPASS", s!["command"]!.GetValue<string>()));
    }
}
