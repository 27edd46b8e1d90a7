namespace LabNet.AppHost.Tests;

[Collection(BadCanaryLabCollection.Name)]
public sealed class BadCanaryScenarioTests(BadCanaryLabFixture lab)
{
    [Fact]
    public async Task V2_breaks_once_the_canary_ramps_and_the_controller_rolls_it_back()
    {
        using var cts = new CancellationTokenSource(LabFixture.CanaryConcludes + TimeSpan.FromMinutes(3));
        var app = lab.App;

        var concluded = await lab.CanaryConcluded.WaitAsync(LabFixture.CanaryConcludes + TimeSpan.FromMinutes(1), cts.Token);

        Assert.True(concluded is not null, $"the canary did not finish its rollout within {LabFixture.CanaryConcludes}");
        Assert.Equal("RolledBack", LabFixture.Property(concluded, "canary.phase"));
        Assert.StartsWith("canary 0%", LabFixture.Property(concluded, "canary.weight"));

        // The controller's own verdict, not an operator's abort: the Analysing condition carries the decision's reason.
        Assert.Equal("RolledBack", await lab.Dev.CanaryPhaseAsync());
        var reason = await lab.Dev.RunAsync("get", "canary", "httpbin", "-n", "demo", "-o", "jsonpath={.status.conditions[?(@.type==\"Analysing\")].reason}");
        Assert.Contains(reason, new[] { "ErrorRateAboveStable", "SuccessRateBelowMinimum" });
        Assert.Equal("v1=100 v2=0", await lab.Dev.CanarySplitAsync());
        var canary = await app.CanaryAsync(cts.Token);
        Assert.Equal("RolledBack", (string?)canary["phase"]);
        Assert.Equal(0, (int?)canary["canaryWeight"]);

        // The scenario injected the same fault as the dashboard command: the simulator shows it, and the command knows.
        var traffic = await app.TrafficAsync(cts.Token);
        Assert.Equal(0.05, (double)traffic["versions"]!["v2"]!["errorRate"]!);
        var injectAgain = await app.CommandAsync("traffic", "canary-fault-inject", cts.Token);
        Assert.False(injectAgain.Success);
        Assert.Contains("already injected", injectAgain.Message);

        var heal = await app.CommandAsync("traffic", "canary-fault-heal", cts.Token);
        Assert.True(heal.Success, heal.Message);
        Assert.Equal(0.0, (double)(await app.TrafficAsync(cts.Token))["versions"]!["v2"]!["errorRate"]!);
    }
}
