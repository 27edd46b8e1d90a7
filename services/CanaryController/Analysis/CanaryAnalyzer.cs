using LabNet.CanaryController.Resources;

namespace LabNet.CanaryController.Analysis;

/// <summary>
/// Adds one traffic window to a Canary's analysis and says whether the canary is worse than allowed.
/// <para>
/// The false-rollback budget alpha is split (a union bound): half for the error-rate comparison with stable, a quarter
/// for the success-rate guard, a quarter for the latency-tail comparison; each share again over the test processes (one
/// for the whole analysis, one per step). Each is an always-valid sequential test, so the chance that a canary as good as
/// stable (and within the guards) is ever rolled back by them is at most alpha over the whole rollout. The per-step
/// processes exist because evidence of a good past pushes the whole-analysis one far below 1, and a canary that turns bad
/// late must not have to climb back first. The p99 guards (absolute, and ratio to stable) compare this step's merged canary histogram with stable's
/// over the analysis, once both have <see cref="GuardsSpec.MinLatencySamples"/> requests, so they cannot fire on a handful of slow
/// requests.
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

    public static AnalysisResult Analyse(CanarySpec spec, CanaryStatus status, TrafficSummary window, bool countsForStep)
    {
        var canary = window.Canary;
        var stable = window.Stable;
        var alpha = spec.Test.Alpha;

        var counters = status.Counters.Add(canary, stable, countsForStep);

        var successLimit = 1 - (spec.Guards.MinSuccessRatePercent / 100.0);
        var analysisTests = Update(status.AnalysisTests);
        var stepTests = Update(status.StepTests);

        var stepCanaryLatency = countsForStep ? MergeOrKeep(status.StepCanaryLatency, canary.Latency) : status.StepCanaryLatency;
        var stableReference = MergeOrKeep(status.StableLatencyReference, stable.Latency);

        var (canaryP99, stableP99, latencySamplesEnough) = StepP99(spec, stepCanaryLatency, stableReference, canary, stable);
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
            WindowCanaryErrors = canary.Errors5xx,
            WindowStableRequests = stable.Requests,
            WindowStableErrors = stable.Errors5xx,
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
            CanaryP99Ms = canaryP99,
            StableP99Ms = stableP99,
            P99Ratio = ratio,
        };

        var regression = FirstRegression();
        return new AnalysisResult(analysisTests, stepTests, counters, stepCanaryLatency, stableReference, regression, Leaning(), evidence);

        SequentialTests Update(SequentialTests tests) => tests with
        {
            ErrorRate = RateRatioMixtureTest.Update(tests.ErrorRate, canary.Errors5xx, stable.Errors5xx, canary.Requests, stable.Requests),
            SuccessRate = ExcessRateMixtureTest.Update(tests.SuccessRate, canary.Errors5xx, canary.Requests, successLimit),
            LatencyTail = UpdateLatencyTail(tests.LatencyTail, status.StableLatencyReference, canary, stable),
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

            if (latencySamplesEnough && canaryP99 > spec.Guards.MaxP99LatencyMs)
            {
                return new RegressionFinding(
                    DecisionReasons.P99AboveMaximum,
                    $"Canary p99 {canaryP99:0.#} ms is above the maximum {spec.Guards.MaxP99LatencyMs} ms (over {counters.StepCanaryRequests} requests this step).");
            }

            if (latencySamplesEnough && ratio > spec.Guards.MaxP99Ratio)
            {
                return new RegressionFinding(
                    DecisionReasons.P99AboveStable,
                    $"Canary p99 {canaryP99:0.#} ms is {ratio:0.##}x stable's {stableP99:0.#} ms, above the allowed {spec.Guards.MaxP99Ratio}x.");
            }

            if (latencyE >= latencyThreshold)
            {
                return new RegressionFinding(
                    DecisionReasons.LatencyTailAboveStable,
                    $"Canary requests are slower than stable's p99 more often than stable's own requests: e-value {latencyE:0.#} >= {latencyThreshold:0.#}"
                    + (canaryP99 is { } p ? $" (canary p99 {p:0.#} ms, stable {stableP99:0.#} ms)." : "."));
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

    /// <summary>
    /// Counts each version's requests in this window slower than stable's p99 as known before the window (the upper
    /// bound of the bucket holding it). The threshold is fixed before the window's requests are seen, so under "same
    /// latency distribution" both versions are slow with the same probability, and the canary's share of the slow
    /// requests is that of its requests: exactly the rate-ratio test's null.
    /// </summary>
    private static SequentialTestState UpdateLatencyTail(SequentialTestState state, LatencyHistogram? stableReference, VersionTrafficSample canary, VersionTrafficSample stable)
    {
        if (stableReference is not { Total: >= MinReferenceSamples } reference
            || canary.Latency is not { } c || stable.Latency is not { } s
            || !reference.HasSameBuckets(c) || !reference.HasSameBuckets(s) || c.Total == 0 || s.Total == 0)
        {
            return state;
        }

        var bucket = reference.BucketOfQuantile(TailQuantile);
        return RateRatioMixtureTest.Update(state, c.CountAbove(bucket), s.CountAbove(bucket), c.Total, s.Total);
    }

    private static (double? Canary, double? Stable, bool Enough) StepP99(
        CanarySpec spec,
        LatencyHistogram? stepCanary,
        LatencyHistogram? stableReference,
        VersionTrafficSample windowCanary,
        VersionTrafficSample windowStable)
    {
        var min = spec.Guards.MinLatencySamples;
        if (stepCanary is not null && stableReference is not null)
        {
            return (stepCanary.Quantile(0.99), stableReference.Quantile(0.99), stepCanary.Total >= min && stableReference.Total >= min);
        }

        // Percentiles cannot be merged across windows: trust a window's p99 only when the window alone is big enough.
        return (windowCanary.P99, windowStable.P99, windowCanary.Requests >= min && windowStable.Requests >= min);
    }

    private static LatencyHistogram? MergeOrKeep(LatencyHistogram? accumulated, LatencyHistogram? window) =>
        (accumulated, window) switch
        {
            (null, _) => window,
            (_, null) => accumulated,
            _ when accumulated.HasSameBuckets(window) => accumulated.Merge(window),
            _ => window, // the source changed its buckets: restart the step's histogram rather than mix them
        };

    private static double? SuccessPercent(long errors, long requests) => requests == 0 ? null : 100.0 * (requests - errors) / requests;

    private static string Percent(long part, long total) => total == 0 ? "n/a" : $"{100.0 * part / total:0.###}%";
}

/// <summary>The analysis after one more window.</summary>
/// <param name="LeaningWorse">The step's tests halfway to a rollback (e-value at least the square root of the threshold), or null: the ramp waits while any are.</param>
public sealed record AnalysisResult(
    SequentialTests AnalysisTests,
    SequentialTests StepTests,
    AnalysisCounters Counters,
    LatencyHistogram? StepCanaryLatency,
    LatencyHistogram? StableLatencyReference,
    RegressionFinding? Regression,
    string? LeaningWorse,
    DecisionEvidence Evidence);

/// <summary>Why the canary is worse, in words a person can act on.</summary>
public sealed record RegressionFinding(string Reason, string Message);
