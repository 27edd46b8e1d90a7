using LabNet.CanaryController.Analysis;
using LabNet.CanaryController.Traffic;

namespace LabNet.Benchmarks.CanaryQuality;

/// <summary>
/// Flagger's canary analysis as its docs and scheduler describe it (reference canary-analysis.md §1): every
/// <c>interval</c> (60 s) it first rolls back if failedChecks >= threshold (5), else checks the canary's last-1m
/// metrics against absolute thresholds (request-success-rate min 99 %, request-duration p99 max 500 ms). No data
/// (0/0 = NaN) is a failed check. A failed check increments the cumulative counter and holds the weight; a pass advances
/// along stepWeights 20, 50, 80 and promotes after a pass at the max weight. The first tick (weight 0) only starts the
/// analysis and moves to the first step. Its metrics come from the same FlowCollector summary, through the same client.
/// </summary>
public sealed class FlaggerPolicySimulation : ICanaryPolicySimulation
{
    public int IntervalSeconds { get; init; } = 60;

    public int Threshold { get; init; } = 5;

    public double MinSuccessRatePercent { get; init; } = 99;

    public double MaxP99Ms { get; init; } = 500;

    public IReadOnlyList<int> StepWeights { get; init; } = [20, 50, 80];

    public string Name => "Flagger rule";

    public async Task<RunOutcome> RunAsync(TrafficScenario scenario, int seed, FlowCollectorHost host)
    {
        var start = host.NextRun();
        var clock = host.Clock;
        var traffic = new SimulatedTraffic(scenario, seed, host.Recorder);
        var step = -1;
        var failedChecks = 0;
        var horizon = (int)scenario.Horizon.TotalSeconds;
        var window = TimeSpan.FromSeconds(IntervalSeconds);

        for (var second = 0; second <= horizon; second++)
        {
            if (second % IntervalSeconds == 0)
            {
                clock.AdjustTime(start + TimeSpan.FromSeconds(second - 0.1));
                var elapsed = second - (traffic.FaultSecond ?? second);
                if (step < 0)
                {
                    step = 0;
                    traffic.WriteWeight(second, StepWeights[0]);
                }
                else if (failedChecks >= Threshold)
                {
                    return new RunOutcome(RunVerdict.RolledBack, elapsed, $"failedChecks {failedChecks} >= threshold {Threshold}");
                }
                else if (!await PassesAsync(host, clock.GetUtcNow() - window, window))
                {
                    failedChecks++;
                }
                else if (step == StepWeights.Count - 1)
                {
                    return new RunOutcome(RunVerdict.Promoted, elapsed, "passed at max weight");
                }
                else
                {
                    step++;
                    traffic.WriteWeight(second, StepWeights[step]);
                }
            }

            clock.AdjustTime(start + TimeSpan.FromSeconds(second + 0.5));
            traffic.SimulateSecond(second);
        }

        return new RunOutcome(RunVerdict.Undecided, horizon, $"failedChecks {failedChecks}");
    }

    /// <summary>The canary's request-success-rate and request-duration p99 over the last interval, against the thresholds.</summary>
    private async Task<bool> PassesAsync(FlowCollectorHost host, DateTimeOffset since, TimeSpan window)
    {
        var query = new TrafficQuery(HttpbinMesh.Namespace, "httpbin", "v1", "v2", since, window);
        if (await host.Client.GetTrafficAsync(query, CancellationToken.None) is not TrafficWindow { Canary: var canary } || canary.Requests == 0)
        {
            return false; // "no values found": Flagger counts it as a failed check
        }

        var successRate = 100.0 * (canary.Requests - canary.Status5xx) / canary.Requests;
        return successRate >= MinSuccessRatePercent && canary.Latency.QuantileMs(0.99) <= MaxP99Ms;
    }
}
