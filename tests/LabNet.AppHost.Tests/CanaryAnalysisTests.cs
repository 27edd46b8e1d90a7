using System.Globalization;
using System.Text.Json.Nodes;

namespace LabNet.AppHost.Tests;

/// <summary>
/// The canary judged on what the lab measures, after the Default scenario's own rollout: versions change only through
/// the simulator's <c>/traffic</c> API or the traffic resource's fault commands, rates only through its rate commands,
/// the canary only through the dashboard's commands. Each test leaves httpbin's versions and rates as it found them
/// and the canary promoted.
/// </summary>
[Collection(SimulationLabCollection.Name)]
public sealed class CanaryAnalysisTests(SimulationLabFixture lab, ITestOutputHelper output)
{
    /// <summary>How long a rollback may take after the fault, by the decision's own time.</summary>
    private static readonly TimeSpan RollbackLimit = TimeSpan.FromSeconds(90);

    private static readonly string[] LatencyReasons = ["LatencyTailAboveStable", "P99AboveStable", "P99AboveMaximum"];

    private static readonly string[] ErrorReasons = ["ErrorRateAboveStable", "SuccessRateBelowMinimum"];

    [Fact]
    public async Task An_error_regression_is_rolled_back_by_the_controller_and_its_decision_span_carries_the_evidence()
    {
        using var cts = new CancellationTokenSource(LabFixture.CanaryConcludes + TimeSpan.FromMinutes(4));
        var app = lab.App;
        await RestartUntilProgressingAsync(cts.Token);
        var injected = false;
        try
        {
            // The dashboard's fault command: httpbin v2 answers 5 % of its requests with 503 (the BadCanary scenario's fault).
            var inject = await app.CommandAsync("traffic", "canary-fault-inject", cts.Token);
            Assert.True(inject.Success, inject.Message);
            injected = true;
            var faultAt = DateTimeOffset.UtcNow;

            var concluded = await app.CanaryUntilAsync(c => (string?)c["phase"] is "RolledBack" or "Promoted" or "Failed", "rolled back", TimeSpan.FromMinutes(3), cts.Token);

            // The controller's own verdict, not an operator's abort: the Analysing condition carries the decision's reason.
            Assert.Equal("RolledBack", (string?)concluded["phase"]);
            Assert.Equal(0, (int?)concluded["canaryWeight"]);
            var analysing = concluded["conditions"]!.AsArray().Single(c => (string?)c!["type"] == "Analysing")!;
            Assert.Contains((string?)analysing["reason"], ErrorReasons);
            var rollback = await RollbackEventAsync(faultAt);
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Rolled back {(rollback.At - faultAt).TotalSeconds:0} s after the error fault: {rollback.Reason}: {rollback.Message}"));
            Assert.Equal("RolledBack", await lab.Dev.CanaryPhaseAsync());
            Assert.Equal("v1=100 v2=0", await lab.Dev.CanarySplitAsync());

            // The dashboard shows it with the latency evidence next to the error evidence.
            var shown = await app.CanaryPhaseAsync(TestTimeouts.CanaryPhase, cts.Token, "RolledBack");
            Assert.StartsWith("canary 0%", LabFixture.Property(shown, "canary.weight"));
            Assert.Contains(" ms over ", LabFixture.Property(shown, "canary.latency"));
            Assert.StartsWith("e-value ", LabFixture.Property(shown, "canary.latency_tail"));

            // The decision is a span with its numbers, tied to the rollout's root span (by a link, or in its trace).
            var spans = await app.SpansAsync("canarycontroller", cts.Token);
            var decision = spans.LastOrDefault(s => s.Attribute("canary.decision.outcome") == "RollBack" && ErrorReasons.Contains(s.Attribute("canary.decision.reason")));
            Assert.True(decision is not null, $"no RollBack decision span for errors among {spans.Count} canarycontroller spans: {string.Join(", ", spans.Select(s => (string?)s["name"]).Distinct())}");
            Assert.Equal("httpbin", decision.Attribute("canary.name"));
            // The latency evidence rides along: both p99s from the histograms, the samples behind them, the latency-tail e-value.
            foreach (var tag in new[] { "canary.latency.canary_p99_ms", "canary.latency.stable_p99_ms", "canary.latency.canary_samples", "canary.latency.stable_samples", "canary.test.latency_tail.e_value" })
            {
                Assert.False(string.IsNullOrEmpty(decision.Attribute(tag)), $"the RollBack span has no {tag}: {decision.ToJsonString()}");
            }

            var rollouts = spans.Where(s => (string?)s["name"] == "canary rollout demo/httpbin").ToList();
            Assert.NotEmpty(rollouts);
            var linked = decision["links"]?.AsArray().OfType<JsonObject>().Any(l => rollouts.Any(r => (string?)l["spanId"] == (string?)r["spanId"])) == true;
            Assert.True(linked || rollouts.Any(r => (string?)r["traceId"] == (string?)decision["traceId"]), $"the RollBack span is neither linked to nor in the trace of a rollout span: {decision.ToJsonString()}");

            var metrics = await app.MetricsAsync("canarycontroller", cts.Token);
            Assert.Contains(metrics, l => l.StartsWith("labnet_canary_decisions_total{", StringComparison.Ordinal) && l.Contains("RollBack", StringComparison.Ordinal));
            Assert.Contains(metrics, l => l.StartsWith("labnet_canary_weight", StringComparison.Ordinal) && l.Contains("httpbin", StringComparison.Ordinal) && LabApis.SampleValue(l) == 0);
        }
        finally
        {
            if (injected)
            {
                var heal = await app.CommandAsync("traffic", "canary-fault-heal", CancellationToken.None);
                Assert.True(heal.Success, heal.Message);
            }

            await LeavePromotedAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_latency_only_regression_is_rolled_back_for_its_latency_within_90_seconds_of_the_fault()
    {
        using var cts = new CancellationTokenSource(LabFixture.CanaryConcludes + TimeSpan.FromMinutes(4));
        var app = lab.App;
        await RestartUntilProgressingAsync(cts.Token);
        var before = await app.TrafficAsync(cts.Token);
        try
        {
            // v2 answers five times slower than v1 (p99 200 ms against 40 ms), without a single error.
            var slow = (JsonObject)before.DeepClone();
            var v1 = slow["versions"]!["v1"]!;
            slow["versions"]!["v2"] = new JsonObject
            {
                ["errorRate"] = 0.0,
                ["latencyMedianMs"] = (double)v1["latencyMedianMs"]! * 5,
                ["latencyP99Ms"] = (double)v1["latencyP99Ms"]! * 5,
            };
            var faultAt = DateTimeOffset.UtcNow;
            await app.PutTrafficAsync(slow, cts.Token);

            var rolledBack = await app.CanaryUntilAsync(c => (string?)c["phase"] is "RolledBack" or "Promoted" or "Failed", "rolled back", TimeSpan.FromMinutes(3), cts.Token);

            Assert.Equal("RolledBack", (string?)rolledBack["phase"]);
            var analysing = rolledBack["conditions"]!.AsArray().Single(c => (string?)c!["type"] == "Analysing")!;
            Assert.Contains((string?)analysing["reason"], LatencyReasons);
            var rollback = await RollbackEventAsync(faultAt);
            var seconds = (rollback.At - faultAt).TotalSeconds;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Rolled back {seconds:0} s after the latency fault: {rollback.Reason}: {rollback.Message}"));
            Assert.True(seconds <= RollbackLimit.TotalSeconds, $"rolled back {seconds:0} s after the fault, more than {RollbackLimit.TotalSeconds:0} s: {rollback.Message}");
            Assert.Contains(rollback.Reason, LatencyReasons);
        }
        finally
        {
            await app.PutTrafficAsync(before, CancellationToken.None);
            await LeavePromotedAsync(CancellationToken.None);
        }
    }

    [Fact]
    public async Task A_canary_identical_to_stable_is_promoted_through_a_sudden_doubling_of_the_traffic()
    {
        using var cts = new CancellationTokenSource(LabFixture.CanaryConcludes + TimeSpan.FromMinutes(2));
        var app = lab.App;
        // The Default scenario's own rollout is the A/A test: v2 behaves exactly as v1, and the fixture doubles the
        // traffic (from two to four times the demo's) as soon as the rollout reaches its first weighted step.
        var concluded = await lab.CanaryConcluded.WaitAsync(LabFixture.CanaryConcludes + TimeSpan.FromMinutes(1), cts.Token);
        var versions = (await app.TrafficAsync(cts.Token))["versions"]!;
        Assert.Equal(versions["v1"]!.ToJsonString(), versions["v2"]!.ToJsonString());
        var doubling = lab.MidRolloutDoubling;
        Assert.True(doubling is { Success: true }, $"the traffic was not doubled during the rollout: {doubling}");
        Assert.Matches(@"^canary [1-9][0-9]?% / stable [1-9][0-9]?%$", doubling.CanaryWeight);

        Assert.NotNull(concluded);
        Assert.Equal("Promoted", LabFixture.Property(concluded, "canary.phase"));
        // Other tests of the lab roll the canary back later: only the first rollout's events count here.
        var rollbacks = (await EventsSinceAsync(DateTimeOffset.UnixEpoch, IsRollback)).Where(e => e.At <= lab.CanaryConcludedAt).ToList();
        Assert.True(rollbacks.Count == 0, $"rolled back during the rollout: {string.Join("; ", rollbacks.Select(e => $"{e.Reason}: {e.Message}"))}");
        output.WriteLine($"Doubled at {doubling.CanaryWeight}; {LabFixture.Property(concluded, "canary.decision")}");
    }

    [Fact]
    public async Task With_too_little_traffic_the_canary_holds_for_not_enough_data_and_is_not_promoted()
    {
        using var cts = new CancellationTokenSource(LabFixture.CanaryConcludes + TimeSpan.FromMinutes(4));
        var app = lab.App;
        await RestartUntilProgressingAsync(cts.Token);
        try
        {
            for (var i = 0; i < 5; i++)
            {
                await RateAsync("traffic-rate-down", cts.Token); // from four times the demo's rate to an eighth of it
            }

            var loweredAt = DateTimeOffset.UtcNow;
            var holds = new List<JsonObject>();
            await app.CanaryUntilAsync(c =>
            {
                if (c["lastDecision"] is JsonObject d && (DateTimeOffset)d["at"]! > loweredAt && holds.All(h => (string?)h["at"] != (string?)d["at"]))
                {
                    holds.Add(d);
                }

                return holds.Count >= 3 || (string?)c["phase"] is not ("Progressing" or "HeaderProbe");
            }, "holding for three decisions", TimeSpan.FromMinutes(1), cts.Token);

            var canary = await app.CanaryAsync(cts.Token);
            Assert.Equal("Progressing", (string?)canary["phase"]);
            Assert.All(holds, h => Assert.Equal(("Hold", "NotEnoughData"), ((string?)h["outcome"], (string?)h["reason"])));
            Assert.StartsWith("Not enough data", (string?)holds[^1]["message"]);
            Assert.Contains("canary latency samples this step", (string?)holds[^1]["message"]);
            output.WriteLine($"Holding: {(string?)holds[^1]["message"]}");
        }
        finally
        {
            for (var i = 0; i < 5; i++)
            {
                await RateAsync("traffic-rate-up", CancellationToken.None);
            }

            await LeavePromotedAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// After the Default scenario's own rollout, restart analysis from the dashboard and wait for the weighted ramp;
    /// returns when the restart was sent.
    /// </summary>
    private async Task<DateTimeOffset> RestartUntilProgressingAsync(CancellationToken cancellationToken)
    {
        var app = lab.App;
        await lab.CanaryConcluded.WaitAsync(LabFixture.CanaryConcludes + TimeSpan.FromMinutes(1), cancellationToken);
        await app.CanaryUntilAsync(c => c["pendingCommand"] is null, "free of pending commands", TestTimeouts.CanaryPhase, cancellationToken);
        var restartedAt = DateTimeOffset.UtcNow;
        var restart = await app.CommandAsync(LabFixture.Canary, "canary-restart-analysis", cancellationToken);
        Assert.True(restart.Success, restart.Message);
        await app.CanaryUntilAsync(c => (string?)c["phase"] == "Progressing", "Progressing after the restart", TimeSpan.FromMinutes(2), cancellationToken);
        return restartedAt;
    }

    private async Task RateAsync(string command, CancellationToken cancellationToken)
    {
        var result = await lab.App.CommandAsync("traffic", command, cancellationToken);
        Assert.True(result.Success, result.Message);
    }

    /// <summary>Other tests of the lab expect what the Default scenario leaves: the canary promoted (weight 100).</summary>
    private async Task LeavePromotedAsync(CancellationToken cancellationToken)
    {
        var app = lab.App;
        var canary = await app.CanaryUntilAsync(c => c["pendingCommand"] is null && (string?)c["phase"] is not ("RollingBack" or "Initializing"), "settled", TestTimeouts.CanaryPhase, cancellationToken);
        if ((string?)canary["phase"] is "RolledBack" or "Failed")
        {
            var restart = await app.CommandAsync(LabFixture.Canary, "canary-restart-analysis", cancellationToken);
            Assert.True(restart.Success, restart.Message);
        }

        if ((string?)(await app.CanaryAsync(cancellationToken))["phase"] != "Promoted")
        {
            var promote = await app.CommandAsync(LabFixture.Canary, "canary-promote", cancellationToken);
            Assert.True(promote.Success, promote.Message);
        }
    }

    private async Task<CanaryEvent> RollbackEventAsync(DateTimeOffset since)
    {
        var rollbacks = await EventsSinceAsync(since, IsRollback);
        return Assert.Single(rollbacks);
    }

    /// <summary>The event of a rollback decision (its message is the decision's).</summary>
    private static bool IsRollback(CanaryEvent e) => e.Type == "Warning" && e.Message.StartsWith("Rolling back", StringComparison.Ordinal);

    /// <summary>The Canary's Kubernetes events from <paramref name="since"/> on (their timestamps are the decisions', to the second).</summary>
    private async Task<IReadOnlyList<CanaryEvent>> EventsSinceAsync(DateTimeOffset since, Func<CanaryEvent, bool> which)
    {
        var json = await lab.Dev.OutputAsync("get", "events", "-n", "demo", "-o", "json");
        var cutoff = since.AddSeconds(-1); // event times have whole seconds
        return
        [
            .. JsonNode.Parse(json)!["items"]!.AsArray().OfType<JsonObject>()
                .Where(e => (string?)e["involvedObject"]?["kind"] == "Canary" && (string?)e["involvedObject"]?["name"] == "httpbin")
                .Select(e => new CanaryEvent((DateTimeOffset)e["firstTimestamp"]!, (string)e["type"]!, (string)e["reason"]!, (string)e["message"]!))
                .Where(e => e.At >= cutoff && which(e))
                .OrderBy(e => e.At),
        ];
    }

    private sealed record CanaryEvent(DateTimeOffset At, string Type, string Reason, string Message);
}
