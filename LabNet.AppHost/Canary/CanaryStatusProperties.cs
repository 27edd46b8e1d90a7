using System.Collections.Immutable;
using System.Globalization;
using LabNet.Canary;
using static System.FormattableString;

namespace LabNet.AppHost.Canary;

/// <summary>
/// Turns a Canary's summary into the dashboard properties of its resource: where it is, the last decision, and the
/// evidence behind it (p99s from the histograms with their samples, the latency-tail and error-rate e-values), so a
/// person can see why a check did or did not fire.
/// </summary>
internal static class CanaryStatusProperties
{
    public const string Phase = "canary.phase";

    public const string Commands = "canary.commands";

    public static ImmutableArray<ResourcePropertySnapshot> From(CanarySummary canary)
    {
        var step = canary.StepIndex < 0 ? "before the ramp" : (canary.StepIndex + 1).ToString(CultureInfo.InvariantCulture);
        var decision = canary.LastDecision is { } last ? $"{last.Outcome} ({last.Reason}): {last.Message}" : "none yet";
        var properties = ImmutableArray.CreateBuilder<ResourcePropertySnapshot>();
        properties.Add(Highlighted(Phase, "Phase", canary.Phase.ToString(), 0));
        properties.Add(Highlighted("canary.weight", "Weight", $"canary {canary.CanaryWeight}% / stable {canary.StableWeight}%", 1));
        properties.Add(Highlighted("canary.step", "Step", step, 2));
        properties.Add(Highlighted("canary.decision", "Last decision", decision, 3));
        properties.Add(Highlighted("canary.pending", "Pending command", canary.PendingCommand ?? "none", 4));
        if (canary.Error is { } error)
        {
            properties.Add(Highlighted("canary.error", "Error", error, 5));
        }

        if (canary.LastDecision?.Evidence is { } evidence)
        {
            properties.Add(Highlighted("canary.latency", "Latency p99", Latency(evidence), 6));
            properties.Add(Highlighted("canary.latency_tail", "Latency tail test", LatencyTail(evidence), 7));
            properties.Add(Highlighted("canary.errors", "Error-rate test", Errors(evidence), 8));
        }

        properties.Add(new ResourcePropertySnapshot(Commands, string.Join(", ", canary.Commands)) { DisplayName = "Commands that apply", SortOrder = 9 });
        return properties.ToImmutable();
    }

    /// <summary>No Canary to show: the lab has not applied it, or the controller cannot list canaries (with its reason).</summary>
    public static ImmutableArray<ResourcePropertySnapshot> Missing(string phase, string reason) =>
        [Highlighted(Phase, "Phase", phase, 0), Highlighted("canary.error", "Error", reason, 5)];

    public static string? PhaseOf(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(p => p.Name == Phase)?.Value?.ToString();

    /// <summary>The command words the controller takes now, as the last status showed them.</summary>
    public static IReadOnlyList<string> CommandsOf(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(p => p.Name == Commands)?.Value?.ToString()?.Split(", ", StringSplitOptions.RemoveEmptyEntries) ?? [];

    private static string Latency(DecisionEvidence e) =>
        Invariant($"canary {Ms(e.CanaryP99Ms)} over {e.CanaryLatencySamples ?? 0} requests this step, stable {Ms(e.StableP99Ms)} over {e.StableLatencySamples ?? 0} in the analysis")
        + (e.P99Ratio is { } ratio ? Invariant($" (x{ratio:0.##})") : "")
        + (e.MinLatencySamples is { } min ? Invariant($"; the p99 guards judge from {min} each") : "");

    private static string LatencyTail(DecisionEvidence e) =>
        Invariant($"e-value {e.LatencyTailEValue ?? 1:0.##}") + (e.LatencyTailThreshold is { } t ? Invariant($" (rollback at {t:0})") : "")
        + (e.LatencyTailSlowMs is { } slow ? Invariant($"; slower than stable's p99 ({slow:0.#} ms)") : "; no stable p99 yet")
        + Invariant($": {e.LatencyTailSlowRequests ?? 0} requests in the analysis");

    private static string Errors(DecisionEvidence e) =>
        Invariant($"canary {e.TotalCanaryErrors} 5xx of {e.TotalCanaryRequests}, stable {e.TotalStableErrors} of {e.TotalStableRequests}; e-value {e.ErrorRateEValue ?? 1:0.##}")
        + (e.ErrorRateThreshold is { } t ? Invariant($" (rollback at {t:0})") : "");

    private static string Ms(double? milliseconds) => milliseconds is { } ms ? Invariant($"{ms:0.#} ms") : "n/a";

    private static ResourcePropertySnapshot Highlighted(string name, string displayName, string value, int order) =>
        new(name, value) { DisplayName = displayName, IsHighlighted = true, SortOrder = order };
}
