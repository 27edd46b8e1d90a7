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

    [Fact]
    public async Task Vms_booted_side_by_side_overlap_on_the_timeline_and_the_summary_shows_it()
    {
        await using var world = new LabWorldFactory();
        var tools = world.Tools();
        using var http = world.CreateClient();
        var image = LabSpec.Load().BaseImage;
        Assert.Equal(0, (await tools.Tart("pull", image)).ExitCode);
        var since = (await http.GetFromJsonAsync<JsonObject>("/clock"))!["timeline"]!.GetValue<DateTimeOffset>();
        string[] vms = ["a-master", "b-master", "c-master"];
        foreach (var vm in vms)
        {
            Assert.Equal(0, (await tools.Tart("clone", image, vm)).ExitCode);
            _ = tools.StartRun(vm, "--no-graphics", "--net-softnet-allow=0.0.0.0/0");
        }

        await Task.Delay(50);
        var addresses = await Task.WhenAll(vms.Select(vm => tools.Tart("ip", vm, "--wait", "180")));

        Assert.All(addresses, a => Assert.Equal(0, a.ExitCode));
        var query = Uri.EscapeDataString(since.ToString("O"));
        var ips = (await http.GetFromJsonAsync<JsonArray>($"/tools/steps?since={query}"))!
            .Where(s => s!["command"]!.GetValue<string>().StartsWith("tart ip", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, ips.Count);
        // Each ip call waited for its own boot (20 s + a 3-8 s lease); the three boots ran at the same time.
        Assert.All(ips, ip => Assert.InRange(ip!["modeledSeconds"]!.GetValue<double>(), 20, 30));
        var summary = (await http.GetFromJsonAsync<JsonObject>($"/tools/steps/summary?since={query}"))!;
        Assert.InRange(summary["makespanSeconds"]!.GetValue<double>(), 23, 32);
        Assert.True(summary["sequentialSeconds"]!.GetValue<double>() >= 3 * 23, summary.ToJsonString());
    }

    [Fact]
    public async Task A_window_that_is_not_an_instant_is_a_bad_request_naming_the_parameter()
    {
        await using var world = new LabWorldFactory();
        using var http = world.CreateClient();

        using var response = await http.GetAsync("/tools/steps/summary?since=yesterday");

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'since'", await response.Content.ReadAsStringAsync());
    }
}
