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
        var reason = await lab.Dev.OutputAsync("get", "canary", "httpbin", "-n", "demo", "-o", "jsonpath={.status.conditions[?(@.type==\"Analysing\")].reason}");
        Assert.Contains(reason, new[] { "ErrorRateAboveStable", "SuccessRateBelowMinimum" });
        Assert.Equal("v1=100 v2=0", await lab.Dev.CanarySplitAsync());
        var canary = await app.CanaryAsync(cts.Token);
        Assert.Equal("RolledBack", (string?)canary["phase"]);
        Assert.Equal(0, (int?)canary["canaryWeight"]);

        // The decision is a span with its numbers, tied to the rollout's root span (by a link, or in its trace).
        var spans = await app.SpansAsync("canarycontroller", cts.Token);
        var rollback = spans.FirstOrDefault(s => s.Attribute("canary.decision.outcome") == "RollBack");
        Assert.True(rollback is not null, $"no RollBack decision span among {spans.Count} canarycontroller spans: {string.Join(", ", spans.Select(s => (string?)s["name"]).Distinct())}");
        Assert.Contains(rollback.Attribute("canary.decision.reason"), new[] { "ErrorRateAboveStable", "SuccessRateBelowMinimum" });
        Assert.Equal("httpbin", rollback.Attribute("canary.name"));
        var rollout = spans.FirstOrDefault(s => (string?)s["name"] == "canary rollout demo/httpbin");
        Assert.True(rollout is not null, "no 'canary rollout demo/httpbin' span");
        var linked = rollback["links"]?.AsArray().OfType<System.Text.Json.Nodes.JsonObject>().Any(l => (string?)l["spanId"] == (string?)rollout["spanId"]) == true;
        Assert.True(linked || (string?)rollout["traceId"] == (string?)rollback["traceId"], $"the RollBack span is neither linked to nor in the trace of the rollout span: {rollback.ToJsonString()}");

        var metrics = await app.MetricsAsync("canarycontroller", cts.Token);
        Assert.Contains(metrics, l => l.StartsWith("labnet_canary_decisions_total{", StringComparison.Ordinal) && l.Contains("RollBack", StringComparison.Ordinal));
        Assert.Contains(metrics, l => l.StartsWith("labnet_canary_weight", StringComparison.Ordinal) && l.Contains("httpbin", StringComparison.Ordinal) && LabApis.SampleValue(l) == 0);

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
