using System.Globalization;
using System.Text.Json.Nodes;

namespace LabNet.AppHost.Tests;

/// <summary>The traffic resource's commands, executed through Aspire's resource command API, checked in the simulator's <c>GET /traffic</c>.</summary>
[Collection(SimulationLabCollection.Name)]
public sealed class TrafficCommandTests(SimulationLabFixture lab)
{
    [Fact]
    public async Task Rate_up_doubles_and_rate_down_halves_every_scenarios_rate()
    {
        using var cts = new CancellationTokenSource(LabFixture.CanaryConcludes + TimeSpan.FromMinutes(2));
        var app = lab.App;
        // The fixture doubles the rate once more during the first rollout: after it, nothing else changes the rates.
        await lab.CanaryConcluded.WaitAsync(LabFixture.CanaryConcludes + TimeSpan.FromMinutes(1), cts.Token);
        var before = Rates(await app.TrafficAsync(cts.Token));

        var up = await app.CommandAsync("traffic", "traffic-rate-up", cts.Token);

        Assert.True(up.Success, up.Message);
        var doubled = Rates(await app.TrafficAsync(cts.Token));
        Assert.Equal(before.Keys.Order(), doubled.Keys.Order());
        foreach (var (scenario, rate) in before)
        {
            Assert.Equal(rate * 2, doubled[scenario], 9);
        }

        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"{before.Values.Sum():0.##} -> {doubled.Values.Sum():0.##} requests/s in total"), up.Message);

        var down = await app.CommandAsync("traffic", "traffic-rate-down", cts.Token);

        Assert.True(down.Success, down.Message);
        var halved = Rates(await app.TrafficAsync(cts.Token));
        foreach (var (scenario, rate) in before)
        {
            Assert.Equal(rate, halved[scenario], 9);
        }

        Assert.Contains(string.Create(CultureInfo.InvariantCulture, $"-> {before.Values.Sum():0.##} requests/s in total"), down.Message);
    }

    [Fact]
    public async Task Canary_fault_breaks_httpbin_v2_only_and_heal_restores_its_previous_behaviour()
    {
        using var cts = new CancellationTokenSource(LabFixture.CanaryConcludes + TimeSpan.FromMinutes(3));
        var app = lab.App;
        // After the Default scenario's rollout, so the fault does not decide it.
        await lab.CanaryConcluded.WaitAsync(LabFixture.CanaryConcludes + TimeSpan.FromMinutes(1), cts.Token);
        var before = await app.TrafficAsync(cts.Token);

        var inject = await app.CommandAsync("traffic", "canary-fault-inject", cts.Token);

        Assert.True(inject.Success, inject.Message);
        var faulty = await app.TrafficAsync(cts.Token);
        Assert.Equal(0.05, (double)faulty["versions"]!["v2"]!["errorRate"]!);
        Assert.Equal(before["versions"]!["v2"]!["latencyP99Ms"]!.ToJsonString(), faulty["versions"]!["v2"]!["latencyP99Ms"]!.ToJsonString());
        Assert.Equal(before["versions"]!["v1"]!.ToJsonString(), faulty["versions"]!["v1"]!.ToJsonString());
        Assert.Equal(before["rates"]!.ToJsonString(), faulty["rates"]!.ToJsonString());
        var shown = await app.ResourceNotifications
            .WaitForResourceAsync("traffic", e => LabFixture.Property(e, "traffic.fault")?.StartsWith("injected", StringComparison.Ordinal) == true, cts.Token)
            .WaitAsync(TestTimeouts.CanaryPhase, cts.Token);
        Assert.StartsWith("5% errors", LabFixture.Property(shown, "traffic.httpbin.v2"));

        var injectAgain = await app.CommandAsync("traffic", "canary-fault-inject", cts.Token);
        Assert.False(injectAgain.Success);
        Assert.Contains("already injected", injectAgain.Message);

        var heal = await app.CommandAsync("traffic", "canary-fault-heal", cts.Token);

        Assert.True(heal.Success, heal.Message);
        var healed = await app.TrafficAsync(cts.Token);
        Assert.Equal(before["versions"]!.ToJsonString(), healed["versions"]!.ToJsonString());

        var healAgain = await app.CommandAsync("traffic", "canary-fault-heal", cts.Token);
        Assert.False(healAgain.Success);
        Assert.Contains("nothing to heal", healAgain.Message);
    }

    [Fact]
    public async Task Canary_latency_slows_httpbin_v2_only_and_its_heal_leaves_the_error_fault_alone()
    {
        using var cts = new CancellationTokenSource(LabFixture.CanaryConcludes + TimeSpan.FromMinutes(3));
        var app = lab.App;
        await lab.CanaryConcluded.WaitAsync(LabFixture.CanaryConcludes + TimeSpan.FromMinutes(1), cts.Token);
        var before = await app.TrafficAsync(cts.Token);
        var v2 = before["versions"]!["v2"]!;

        var slow = await app.CommandAsync("traffic", "canary-latency-inject", cts.Token);
        var errors = await app.CommandAsync("traffic", "canary-fault-inject", cts.Token);

        Assert.True(slow.Success, slow.Message);
        Assert.True(errors.Success, errors.Message);
        var both = (await app.TrafficAsync(cts.Token))["versions"]!;
        Assert.Equal((double)v2["latencyMedianMs"]! * 5, (double)both["v2"]!["latencyMedianMs"]!, 9);
        Assert.Equal((double)v2["latencyP99Ms"]! * 5, (double)both["v2"]!["latencyP99Ms"]!, 9);
        Assert.Equal(0.05, (double)both["v2"]!["errorRate"]!);
        Assert.Equal(before["versions"]!["v1"]!.ToJsonString(), both["v1"]!.ToJsonString());

        var healErrors = await app.CommandAsync("traffic", "canary-fault-heal", cts.Token);

        Assert.True(healErrors.Success, healErrors.Message);
        var stillSlow = (await app.TrafficAsync(cts.Token))["versions"]!["v2"]!;
        Assert.Equal((double)v2["errorRate"]!, (double)stillSlow["errorRate"]!);
        Assert.Equal((double)v2["latencyP99Ms"]! * 5, (double)stillSlow["latencyP99Ms"]!, 9);

        var healLatency = await app.CommandAsync("traffic", "canary-latency-heal", cts.Token);

        Assert.True(healLatency.Success, healLatency.Message);
        Assert.Equal(before["versions"]!.ToJsonString(), (await app.TrafficAsync(cts.Token))["versions"]!.ToJsonString());
        var healAgain = await app.CommandAsync("traffic", "canary-latency-heal", cts.Token);
        Assert.False(healAgain.Success);
        Assert.Contains("No canary latency is injected; nothing to heal", healAgain.Message);
    }

    private static Dictionary<string, double> Rates(JsonObject traffic) =>
        traffic["rates"]!.AsObject().ToDictionary(r => r.Key, r => (double)r.Value!);
}
