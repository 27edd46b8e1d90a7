using LabNet.CanaryController.Analysis;

namespace LabNet.Benchmarks.CanaryQuality;

/// <summary>
/// Draws a scenario's traffic one second at a time for whatever weight is in effect, and sums seconds into the
/// per-window summaries the FlowCollector would return (counts and merged histograms).
/// </summary>
public sealed class SimulatedTraffic(TrafficScenario scenario, int seed)
{
    private readonly SeededSampler sampler = new(seed);
    private readonly double[] stableBuckets = scenario.StableLatency.BucketProbabilities();
    private readonly double[] canaryBuckets = scenario.CanaryLatency.BucketProbabilities();
    private readonly List<(int EffectiveAtSecond, int CanaryWeight)> writes = [];

    private VersionTrafficSample stableWindow = Empty();
    private VersionTrafficSample canaryWindow = Empty();

    /// <summary>First second in which the canary received weighted traffic.</summary>
    public int? FirstWeightedSecond { get; private set; }

    /// <summary>First second of the canary's fault (its bad behaviour starts then), once weighted traffic has started.</summary>
    public int? FaultSecond => FirstWeightedSecond + scenario.FaultStartsAfterSeconds;

    /// <summary>Records a weight write at <paramref name="second"/>; it takes effect after the routing delay.</summary>
    public void WriteWeight(int second, int canaryWeight) => writes.Add((second + scenario.RoutingDelaySeconds, canaryWeight));

    /// <summary>Simulates second <paramref name="second"/> and returns the canary's part of it (for per-second policies).</summary>
    public VersionTrafficSample SimulateSecond(int second)
    {
        var weight = EffectiveWeight(second);
        if (weight > 0 && FirstWeightedSecond is null)
        {
            FirstWeightedSecond = second;
        }

        var total = (long)Math.Round(scenario.RequestsPerSecond);
        var canaryRequests = sampler.Binomial(total, weight / 100.0);
        var faulty = FirstWeightedSecond is { } first && second >= first + scenario.FaultStartsAfterSeconds;
        var stable = Draw(total - canaryRequests, scenario.StableErrorRate, scenario.StableLatency, stableBuckets);
        var canary = faulty
            ? Draw(canaryRequests, scenario.CanaryErrorRate, scenario.CanaryLatency, canaryBuckets)
            : Draw(canaryRequests, scenario.StableErrorRate, scenario.StableLatency, stableBuckets);
        stableWindow = Add(stableWindow, stable);
        canaryWindow = Add(canaryWindow, canary);
        return canary;
    }

    /// <summary>The traffic since the previous call, as one summary window.</summary>
    public (VersionTrafficSample Stable, VersionTrafficSample Canary) TakeWindow()
    {
        var window = (stableWindow, canaryWindow);
        stableWindow = Empty();
        canaryWindow = Empty();
        return window;
    }

    private int EffectiveWeight(int second)
    {
        var weight = 0;
        foreach (var (effectiveAt, canaryWeight) in writes)
        {
            if (effectiveAt <= second)
            {
                weight = canaryWeight;
            }
        }

        return weight;
    }

    private VersionTrafficSample Draw(long requests, double errorRate, LatencyModel latency, double[] buckets) => new()
    {
        Requests = requests,
        Errors5xx = sampler.Binomial(requests, errorRate),
        Latency = latency.Draw(sampler, requests, buckets),
    };

    private static VersionTrafficSample Add(VersionTrafficSample a, VersionTrafficSample b) => new()
    {
        Requests = a.Requests + b.Requests,
        Errors5xx = a.Errors5xx + b.Errors5xx,
        Latency = a.Latency!.Merge(b.Latency!),
    };

    private static VersionTrafficSample Empty() => new() { Latency = LatencyHistogram.Empty(LatencyModel.BucketBoundsMs) };
}
