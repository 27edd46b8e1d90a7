namespace LabNet.CanaryController.Analysis;

/// <summary>
/// Sequential one-sample test "the canary's error rate is above the limit p0" (p0 = 1 - minimum success rate), the
/// statistically grounded form of Flagger's success-rate threshold: a window with 2 errors in 100 requests is not a
/// 98% service. Same construction as <see cref="RateRatioMixtureTest"/>: a mixture over alternatives p0 * r of
/// Bernoulli likelihood ratios. For any true rate at or below p0 each ratio is a nonnegative supermartingale, so the
/// mixture crosses 1/alpha with probability at most alpha however often it is checked.
/// </summary>
public static class ExcessRateMixtureTest
{
    /// <summary>Alternatives as multiples of the limit p0 (capped below 1).</summary>
    public static IReadOnlyList<double> LimitMultiples { get; } = [1.25, 1.5, 2, 3, 5, 10, 30];

    public static SequentialTestState Update(SequentialTestState state, long errors, long requests, double limit)
    {
        if (requests == 0)
        {
            return state;
        }

        var p0 = Math.Clamp(limit, 1e-9, 1 - 1e-9);
        var logs = state.LogsFor(LimitMultiples.Count);
        var successes = requests - errors;
        for (var k = 0; k < LimitMultiples.Count; k++)
        {
            var p1 = Math.Min(p0 * LimitMultiples[k], 0.999_999);
            logs[k] += (errors * Math.Log(p1 / p0)) + (successes * Math.Log((1 - p1) / (1 - p0)));
        }

        return new SequentialTestState(logs, state.Events + errors);
    }
}
