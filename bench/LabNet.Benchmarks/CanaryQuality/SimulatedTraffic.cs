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
    private readonly WindowCounts stableWindow = new();
    private readonly WindowCounts canaryWindow = new();

    /// <summary>First second in which the canary received weighted traffic.</summary>
    public int? FirstWeightedSecond { get; private set; }

    /// <summary>First second of the canary's fault (its bad behaviour starts then), once weighted traffic has started.</summary>
    public int? FaultSecond => FirstWeightedSecond + scenario.FaultStartsAfterSeconds;

    /// <summary>Records a weight write at <paramref name="second"/>; it takes effect after the routing delay.</summary>
    public void WriteWeight(int second, int canaryWeight) => writes.Add((second + scenario.RoutingDelaySeconds, canaryWeight));

    /// <summary>Simulates second <paramref name="second"/> into the current window.</summary>
    public void SimulateSecond(int second)
    {
        var weight = EffectiveWeight(second);
        if (weight > 0 && FirstWeightedSecond is null)
        {
            FirstWeightedSecond = second;
        }

        var total = (long)Math.Round(scenario.RequestsPerSecond);
        var canaryRequests = sampler.Binomial(total, weight / 100.0);
        var faulty = FaultSecond is { } fault && second >= fault;
        Draw(stableWindow, total - canaryRequests, scenario.StableErrorRate, stableBuckets);
        if (faulty)
        {
            Draw(canaryWindow, canaryRequests, scenario.CanaryErrorRate, canaryBuckets);
        }
        else
        {
            Draw(canaryWindow, canaryRequests, scenario.StableErrorRate, stableBuckets);
        }
    }

    /// <summary>The traffic since the previous call, as one summary window.</summary>
    public (VersionTrafficSample Stable, VersionTrafficSample Canary) TakeWindow() => (stableWindow.Take(), canaryWindow.Take());

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

    private void Draw(WindowCounts window, long requests, double errorRate, double[] buckets)
    {
        window.Requests += requests;
        window.Errors += sampler.Binomial(requests, errorRate);
        sampler.AddMultinomial(requests, buckets, window.Buckets);
    }

    /// <summary>One version's counts in the window being filled.</summary>
    private sealed class WindowCounts
    {
        public long Requests { get; set; }

        public long Errors { get; set; }

        public long[] Buckets { get; private set; } = new long[LatencyModel.BucketBoundsMs.Count + 1];

        public VersionTrafficSample Take()
        {
            var sample = new VersionTrafficSample
            {
                Requests = Requests,
                Errors5xx = Errors,
                Latency = new LatencyHistogram(LatencyModel.BucketBoundsMs, Buckets),
            };
            Requests = 0;
            Errors = 0;
            Buckets = new long[Buckets.Length];
            return sample;
        }
    }
}
