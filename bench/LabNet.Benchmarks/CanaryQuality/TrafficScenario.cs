namespace LabNet.Benchmarks.CanaryQuality;

/// <summary>
/// The simulated world of one harness scenario: total request rate to httpbin and each version's error rate and
/// latency. The canary's share of requests follows the weights the policy under test wrote, after a routing delay
/// (Envoy applies a new VirtualService a moment after the write).
/// </summary>
public sealed record TrafficScenario(
    string Name,
    double RequestsPerSecond,
    double StableErrorRate,
    double CanaryErrorRate,
    LatencyModel StableLatency,
    LatencyModel CanaryLatency)
{
    /// <summary>The demo's rate, and five times it: both policies must work at either.</summary>
    public static IReadOnlyList<double> Rates { get; } = [50, 250];

    public int RoutingDelaySeconds { get; init; } = 1;

    /// <summary>Seconds after the canary's first weighted traffic at which it turns bad (before that it behaves like stable).</summary>
    public int FaultStartsAfterSeconds { get; init; }

    /// <summary>Longest simulated run; a run still undecided then counts as undecided.</summary>
    public TimeSpan Horizon { get; init; } = TimeSpan.FromHours(2);

    /// <summary>A canary that should be rolled back (every scenario but the A/A ones and no traffic).</summary>
    public bool CanaryIsWorse => CanaryErrorRate > StableErrorRate || CanaryLatency != StableLatency;

    public TrafficScenario At(double requestsPerSecond) => this with { RequestsPerSecond = requestsPerSecond };

    /// <summary>v2 identical to v1: 0.1% errors, same latency. Every rollback is a false rollback.</summary>
    public static TrafficScenario AaHealthy { get; } = new("A/A: v1 = v2 = 0.1% 5xx", 50, 0.001, 0.001, new(), new());

    /// <summary>An error-rate increase of exactly the default minimum detectable effect (+1 percentage point).</summary>
    public static TrafficScenario PlusOnePointErrors { get; } = new("v2 1.1% 5xx vs v1 0.1% (+1 pp)", 50, 0.001, 0.011, new(), new());

    public static TrafficScenario ErrorRegression { get; } = new("v2 5% 5xx vs v1 0.1%", 50, 0.001, 0.05, new(), new());

    public static TrafficScenario LatencyShift { get; } = new("v2 p99 +300 ms (81 -> 381 ms)", 50, 0.001, 0.001, new(), new(ShiftMs: 300));

    public static TrafficScenario LatencyTimesThree { get; } = new("v2 latency x3 (p99 81 -> 243 ms)", 50, 0.001, 0.001, new(), new(MedianMs: 60));

    /// <summary>The canary turns bad mid-ramp, after evidence that it was fine has accumulated.</summary>
    public static TrafficScenario ErrorRegressionMidRamp { get; } = new("v2 5% 5xx from 120 s into the ramp", 50, 0.001, 0.05, new(), new()) { FaultStartsAfterSeconds = 120 };

    /// <summary>Identical versions at 2 requests/s: per-interval thresholds see single errors as big percentages.</summary>
    public static TrafficScenario AaLowTraffic { get; } = new("A/A at 2 req/s, 0.5% 5xx", 2, 0.005, 0.005, new(), new());

    /// <summary>No requests at all: no verdict is possible, nothing should be rolled back as "bad".</summary>
    public static TrafficScenario NoTraffic { get; } = new("no traffic", 0, 0.001, 0.001, new(), new()) { Horizon = TimeSpan.FromHours(1) };
}
