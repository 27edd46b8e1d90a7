using LabNet.Canary;
using LabNet.CanaryController.Resources;
using LabNet.Traffic;

namespace LabNet.CanaryController.Analysis;

/// <summary>
/// Adds one traffic window to a Canary's analysis and says whether the canary is worse than allowed.
/// <para>
/// The false-rollback budget alpha is split (a union bound): half for the error-rate comparison with stable, a quarter
/// for the success-rate guard, a quarter for the latency-tail comparison; each share again over the test processes (one
/// for the whole analysis, one per step). Each is an always-valid sequential test, so the chance that a canary as good as
/// stable (and within the guards) is ever rolled back by them is at most alpha over the whole rollout. The per-step
/// processes exist because evidence of a good past pushes the whole-analysis one far below 1, and a canary that turns bad
/// late must not have to climb back first.
/// </para>
/// <para>
/// Latency is judged from the FlowCollector's histograms, merged: the latency-tail test counts each window's requests
/// slower than stable's p99 over the analysis so far; the p99 guards (absolute, and ratio to stable) compare the canary's
/// histogram merged over this step with stable's merged over the analysis, once both hold
/// <see cref="GuardsSpec.MinLatencySamples"/> requests (<see cref="LatencySamples"/>), so they cannot fire on a handful of
/// slow requests, and a weighted step does not pass before they have judged.
/// </para>
/// </summary>
public static class CanaryAnalyzer
{
    public const double ErrorRateAlphaShare = 0.5;
    public const double SuccessRateAlphaShare = 0.25;
    public const double LatencyAlphaShare = 0.25;

    /// <summary>The latency-tail test compares the share of requests slower than stable's p99.</summary>
    private const double TailQuantile = 0.99;

    /// <summary>Stable requests needed before its p99 bucket is used as the slow threshold.</summary>
    private const long MinReferenceSamples = 100;

    public static AnalysisResult Analyse(CanarySpec spec, CanaryStatus status, TrafficWindow window, bool countsForStep)
    {
        var canary = window.Canary;
        var stable = window.Stable;
        var alpha = spec.Test.Alpha;

        var counters = status.Counters.Add(canary, stable, countsForStep);

        var successLimit = 1 - (spec.Guards.MinSuccessRatePercent / 100.0);
        var slowBucket = SlowBucket(status.StableLatencyReference);
        var analysisTests = Update(status.AnalysisTests);
        var stepTests = Update(status.StepTests);

        var stepCanaryLatency = countsForStep ? Merge(status.StepCanaryLatency, canary.Latency) : status.StepCanaryLatency;
        var stableReference = Merge(status.StableLatencyReference, stable.Latency);
        var samples = new LatencySamples(stepCanaryLatency?.Total ?? 0, stableReference?.Total ?? 0, spec.Guards.MinLatencySamples);

        var canaryP99 = stepCanaryLatency?.QuantileMs(TailQuantile);
        var stableP99 = stableReference?.QuantileMs(TailQuantile);
        var ratio = canaryP99 is { } c && stableP99 is > 0 and var s ? c / s : (double?)null;

        var processes = MonitoredProcesses(spec);
        var errorThreshold = processes / (alpha * ErrorRateAlphaShare);
        var successThreshold = processes / (alpha * SuccessRateAlphaShare);
        var latencyThreshold = processes / (alpha * LatencyAlphaShare);
        var errorE = Math.Max(analysisTests.ErrorRate.EValue(), stepTests.ErrorRate.EValue());
        var successE = Math.Max(analysisTests.SuccessRate.EValue(), stepTests.SuccessRate.EValue());
        var latencyE = Math.Max(analysisTests.LatencyTail.EValue(), stepTests.LatencyTail.EValue());

        var evidence = new DecisionEvidence
        {
            CanaryWeight = status.CanaryWeight,
            WindowCanaryRequests = canary.Requests,
            WindowCanaryErrors = canary.Status5xx,
            WindowStableRequests = stable.Requests,
            WindowStableErrors = stable.Status5xx,
            TotalCanaryRequests = counters.CanaryRequests,
            TotalCanaryErrors = counters.CanaryErrors,
            TotalStableRequests = counters.StableRequests,
            TotalStableErrors = counters.StableErrors,
            StepCanaryRequests = counters.StepCanaryRequests,
            ErrorRateEValue = errorE,
            ErrorRateThreshold = errorThreshold,
            SuccessRateEValue = successE,
            SuccessRateThreshold = successThreshold,
            CanarySuccessRatePercent = SuccessPercent(counters.CanaryErrors, counters.CanaryRequests),
            StableSuccessRatePercent = SuccessPercent(counters.StableErrors, counters.StableRequests),
            LatencyTailEValue = latencyE,
            LatencyTailThreshold = latencyThreshold,
            LatencyTailSlowMs = slowBucket is { } bucket ? LatencyBuckets.UpperBoundMs(bucket) : null,
            LatencyTailSlowRequests = analysisTests.LatencyTail.Events,
            CanaryP99Ms = canaryP99,
            StableP99Ms = stableP99,
            P99Ratio = ratio,
            CanaryLatencySamples = samples.Canary,
            StableLatencySamples = samples.Stable,
            MinLatencySamples = samples.Needed,
        };

        var regression = FirstRegression();
        return new AnalysisResult(analysisTests, stepTests, counters, stepCanaryLatency, stableReference, samples, regression, Leaning(), evidence);

        SequentialTests Update(SequentialTests tests) => tests with
        {
            ErrorRate = RateRatioMixtureTest.Update(tests.ErrorRate, canary.Status5xx, stable.Status5xx, canary.Requests, stable.Requests),
            SuccessRate = ExcessRateMixtureTest.Update(tests.SuccessRate, canary.Status5xx, canary.Requests, successLimit),
            LatencyTail = UpdateLatencyTail(tests.LatencyTail, slowBucket, canary.Latency, stable.Latency),
        };

        // Evidence halfway (in log scale) to a rollback is not enough to roll back, but too much to give the canary more
        // traffic: the ramp waits for the next windows to settle it. Under the null, Ville's inequality makes reaching
        // sqrt(threshold) itself rare (at most 1/sqrt(threshold)), so a good canary is seldom held.
        string? Leaning()
        {
            var leaning = new List<string>();
            Check("error rate vs stable", stepTests.ErrorRate, errorThreshold);
            Check($"success rate vs {spec.Guards.MinSuccessRatePercent}%", stepTests.SuccessRate, successThreshold);
            Check("latency tail vs stable", stepTests.LatencyTail, latencyThreshold);
            return leaning.Count == 0 ? null : string.Join(", ", leaning);

            void Check(string name, SequentialTestState test, double threshold)
            {
                var e = test.EValue();
                if (e >= Math.Sqrt(threshold))
                {
                    leaning.Add($"{name} e-value {e:0.#} >= {Math.Sqrt(threshold):0.#}, rollback at {threshold:0}");
                }
            }
        }

        RegressionFinding? FirstRegression()
        {
            if (errorE >= errorThreshold)
            {
                var rate = RateRatioMixtureTest.EstimatedRatio(counters.CanaryErrors, counters.CanaryRequests, counters.StableErrors, counters.StableRequests);
                return new RegressionFinding(
                    DecisionReasons.ErrorRateAboveStable,
                    $"Canary 5xx rate {Percent(counters.CanaryErrors, counters.CanaryRequests)} ({counters.CanaryErrors}/{counters.CanaryRequests}) is higher than stable's "
                    + $"{Percent(counters.StableErrors, counters.StableRequests)} ({counters.StableErrors}/{counters.StableRequests})"
                    + (rate is { } r ? $", about x{r:0.#}" : "")
                    + $": e-value {errorE:0.#} >= {errorThreshold:0.#} ({processes} tests at a {alpha * ErrorRateAlphaShare:0.####} false-rollback share).");
            }

            if (successE >= successThreshold)
            {
                return new RegressionFinding(
                    DecisionReasons.SuccessRateBelowMinimum,
                    $"Canary success rate {SuccessPercent(counters.CanaryErrors, counters.CanaryRequests):0.##}% is below the minimum {spec.Guards.MinSuccessRatePercent}%: "
                    + $"e-value {successE:0.#} >= {successThreshold:0.#}.");
            }

            if (samples.Enough && canaryP99 > spec.Guards.MaxP99LatencyMs)
            {
                return new RegressionFinding(
                    DecisionReasons.P99AboveMaximum,
                    $"Canary p99 {canaryP99:0.#} ms is above the maximum {spec.Guards.MaxP99LatencyMs} ms (histogram of its {samples.Canary} requests this step).");
            }

            if (samples.Enough && ratio > spec.Guards.MaxP99Ratio)
            {
                return new RegressionFinding(
                    DecisionReasons.P99AboveStable,
                    $"Canary p99 {canaryP99:0.#} ms ({samples.Canary} requests this step) is {ratio:0.##}x stable's {stableP99:0.#} ms ({samples.Stable} requests in the analysis), "
                    + $"above the allowed {spec.Guards.MaxP99Ratio}x.");
            }

            if (latencyE >= latencyThreshold)
            {
                return new RegressionFinding(
                    DecisionReasons.LatencyTailAboveStable,
                    $"Canary requests are slower than stable's p99 ({evidence.LatencyTailSlowMs:0.#} ms) more often than stable's own requests: e-value {latencyE:0.#} >= {latencyThreshold:0.#}"
                    + (canaryP99 is { } p ? $" (canary p99 {p:0.#} ms over {samples.Canary} requests this step, stable {stableP99:0.#} ms over {samples.Stable})." : "."));
            }

            return null;
        }
    }

    /// <summary>
    /// How many test processes share each alpha (a union bound): one over the whole analysis, plus one started at the
    /// header probe and at each step. Each is a test martingale from its (predictable) start, so the chance that any of
    /// them ever crosses processes/alpha under the null is at most alpha.
    /// </summary>
    public static int MonitoredProcesses(CanarySpec spec) =>
        1 + (spec.HeaderProbe.Enabled ? 1 : 0) + spec.Traffic.Ladder().Count(weight => weight < 100);

    /// <summary>The bucket of stable's p99 as known before this window, once enough stable requests back it.</summary>
    private static int? SlowBucket(LatencyHistogram? stableReference) =>
        stableReference is { Total: >= MinReferenceSamples } reference ? reference.BucketOfQuantile(TailQuantile) : null;

    /// <summary>
    /// Counts each version's requests in this window slower than stable's p99 as known before the window (the upper
    /// bound of the bucket holding it). The threshold is fixed before the window's requests are seen, so under "same
    /// latency distribution" both versions are slow with the same probability, and the canary's share of the slow
    /// requests is that of its requests: exactly the rate-ratio test's null.
    /// </summary>
    private static SequentialTestState UpdateLatencyTail(SequentialTestState state, int? slowBucket, LatencyHistogram canary, LatencyHistogram stable) =>
        slowBucket is { } bucket && canary.Total > 0 && stable.Total > 0
            ? RateRatioMixtureTest.Update(state, canary.CountAbove(bucket), stable.CountAbove(bucket), canary.Total, stable.Total)
            : state;

    private static LatencyHistogram? Merge(LatencyHistogram? accumulated, LatencyHistogram window) =>
        accumulated is null ? window : accumulated.Merge(window);

    private static double? SuccessPercent(long errors, long requests) => requests == 0 ? null : 100.0 * (requests - errors) / requests;

    private static string Percent(long part, long total) => total == 0 ? "n/a" : $"{100.0 * part / total:0.###}%";
}

/// <summary>The analysis after one more window.</summary>
/// <param name="LatencySamples">What the p99 guards judged on; a weighted step does not pass until it is <see cref="LatencySamples.Enough"/>.</param>
/// <param name="LeaningWorse">The step's tests halfway to a rollback (e-value at least the square root of the threshold), or null: the ramp waits while any are.</param>
public sealed record AnalysisResult(
    SequentialTests AnalysisTests,
    SequentialTests StepTests,
    AnalysisCounters Counters,
    LatencyHistogram? StepCanaryLatency,
    LatencyHistogram? StableLatencyReference,
    LatencySamples LatencySamples,
    RegressionFinding? Regression,
    string? LeaningWorse,
    DecisionEvidence Evidence)
{
    /// <summary><paramref name="status"/> with this window's analysis in it: tests, counters and merged histograms.</summary>
    public CanaryStatus RecordedIn(CanaryStatus status) => status with
    {
        AnalysisTests = AnalysisTests,
        StepTests = StepTests,
        Counters = Counters,
        StepCanaryLatency = StepCanaryLatency,
        StableLatencyReference = StableLatencyReference,
    };
}

/// <summary>Why the canary is worse, in words a person can act on.</summary>
public sealed record RegressionFinding(string Reason, string Message);
