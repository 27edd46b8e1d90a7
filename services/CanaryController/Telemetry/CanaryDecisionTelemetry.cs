using System.Diagnostics;
using System.Diagnostics.Metrics;
using LabNet.Canary;
using LabNet.CanaryController.Rollout;

namespace LabNet.CanaryController.Telemetry;

/// <summary>
/// Turns each decision into a span carrying its numbers (inputs, test statistics, thresholds, outcome) and updates the
/// metrics <c>labnet.canary.weight</c> and <c>labnet.canary.decisions</c> (by outcome and reason).
/// </summary>
public sealed class CanaryDecisionTelemetry : IDisposable
{
    public const string Name = "LabNet.CanaryController";

    private readonly ActivitySource activitySource = new(Name);
    private readonly Gauge<int> weight;
    private readonly Counter<long> decisions;

    public CanaryDecisionTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        weight = meter.CreateGauge<int>("labnet.canary.weight", unit: "%", description: "Canary weight on the weighted route, per Canary.");
        decisions = meter.CreateCounter<long>("labnet.canary.decisions", unit: "{decision}", description: "Canary decisions by outcome and reason.");
    }

    /// <summary>Records one tick. <paramref name="rollout"/> is the rollout's root span, linked from every decision span.</summary>
    public void Record(string @namespace, string name, CanaryTickResult result, ActivityContext rollout = default)
    {
        var canaryTags = new TagList { { "canary.namespace", @namespace }, { "canary.name", name } };
        weight.Record(result.Status.CanaryWeight, canaryTags);
        if (result.Decision is not { } decision)
        {
            return;
        }

        var outcomeTags = canaryTags;
        outcomeTags.Add("canary.decision.outcome", decision.Outcome.ToString());
        outcomeTags.Add("canary.decision.reason", decision.Reason);
        decisions.Add(1, outcomeTags);

        ActivityLink[]? links = rollout == default ? null : [new ActivityLink(rollout)];
        using var activity = activitySource.StartActivity(ActivityKind.Internal, name: $"canary {decision.Outcome} {decision.Reason}", links: links, startTime: decision.At);
        if (activity is null)
        {
            return;
        }

        activity.SetTag("canary.namespace", @namespace);
        activity.SetTag("canary.name", name);
        activity.SetTag("canary.phase", result.Status.Phase.ToString());
        activity.SetTag("canary.step", result.Status.StepIndex);
        activity.SetTag("canary.decision.outcome", decision.Outcome.ToString());
        activity.SetTag("canary.decision.reason", decision.Reason);
        activity.SetTag("canary.decision.message", decision.Message);
        foreach (var (key, value) in EvidenceTags(decision.Evidence))
        {
            activity.SetTag(key, value);
        }

        activity.SetTag("canary.actions", string.Join("; ", result.Actions.Where(a => a is not EmitEvent).Select(Describe)));
        if (decision.Outcome is DecisionOutcome.RollBack or DecisionOutcome.FailSafe or DecisionOutcome.Reject)
        {
            activity.SetStatus(ActivityStatusCode.Error, decision.Reason);
        }

        activity.SetEndTime(decision.At.UtcDateTime);
    }

    public void Dispose() => activitySource.Dispose();

    private static IEnumerable<(string, object?)> EvidenceTags(DecisionEvidence e)
    {
        yield return ("canary.weight", e.CanaryWeight);
        yield return ("canary.window.canary.requests", e.WindowCanaryRequests);
        yield return ("canary.window.canary.errors", e.WindowCanaryErrors);
        yield return ("canary.window.stable.requests", e.WindowStableRequests);
        yield return ("canary.window.stable.errors", e.WindowStableErrors);
        yield return ("canary.total.canary.requests", e.TotalCanaryRequests);
        yield return ("canary.total.canary.errors", e.TotalCanaryErrors);
        yield return ("canary.total.stable.requests", e.TotalStableRequests);
        yield return ("canary.total.stable.errors", e.TotalStableErrors);
        yield return ("canary.step.canary.requests", e.StepCanaryRequests);
        yield return ("canary.split.observed_percent", e.ObservedCanarySharePercent);
        yield return ("canary.split.allowed_deviation_percent", e.AllowedShareDeviationPercent);
        yield return ("canary.test.error_rate.e_value", e.ErrorRateEValue);
        yield return ("canary.test.error_rate.threshold", e.ErrorRateThreshold);
        yield return ("canary.test.success_rate.e_value", e.SuccessRateEValue);
        yield return ("canary.test.success_rate.threshold", e.SuccessRateThreshold);
        yield return ("canary.test.latency_tail.e_value", e.LatencyTailEValue);
        yield return ("canary.test.latency_tail.threshold", e.LatencyTailThreshold);
        yield return ("canary.test.latency_tail.slow_ms", e.LatencyTailSlowMs);
        yield return ("canary.test.latency_tail.slow_requests", e.LatencyTailSlowRequests);
        yield return ("canary.success_rate.canary_percent", e.CanarySuccessRatePercent);
        yield return ("canary.success_rate.stable_percent", e.StableSuccessRatePercent);
        yield return ("canary.latency.canary_p99_ms", e.CanaryP99Ms);
        yield return ("canary.latency.stable_p99_ms", e.StableP99Ms);
        yield return ("canary.latency.p99_ratio", e.P99Ratio);
        yield return ("canary.latency.canary_samples", e.CanaryLatencySamples);
        yield return ("canary.latency.stable_samples", e.StableLatencySamples);
        yield return ("canary.latency.min_samples", e.MinLatencySamples);
        yield return ("canary.required_canary_requests", e.RequiredCanaryRequests);
        yield return ("canary.expected_seconds_to_decision", e.ExpectedSecondsToDecision);
    }

    private static string Describe(CanaryAction action) => action switch
    {
        SetRouteWeights w => $"weights {w.VirtualService}: {w.Weights}",
        SetSubsetOutlierDetection o => $"outlierDetection {o.DestinationRule}/{o.Subset}: consecutive5xxErrors {o.Settings.Consecutive5xxErrors}, interval {o.Settings.Interval.TotalSeconds}s, baseEjectionTime {o.Settings.BaseEjectionTime.TotalSeconds}s",
        RestoreSubsetOutlierDetection r => $"outlierDetection {r.DestinationRule}/{r.Subset}: restored",
        _ => action.ToString(),
    };
}
