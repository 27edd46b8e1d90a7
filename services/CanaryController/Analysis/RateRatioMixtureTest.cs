namespace LabNet.CanaryController.Analysis;

/// <summary>
/// Sequential test "the canary's per-request event rate (5xx, or slow responses) is higher than stable's", valid however
/// often it looks (an always-valid mSPRT; reference canary-analysis.md §4).
/// <para>
/// Why this test: it needs only the two running counts per window, the same trick as Netflix's counting-process test.
/// Under H0 (equal per-request rates) and given a window's events E, the canary's share of them is Binomial(E, w) with
/// w its share of the window's requests (with fixed request counts it is hypergeometric, which is smaller in convex
/// order, so the bound still holds). If the canary's rate is rho times stable's, the share is
/// theta = w rho / (w rho + 1 - w). The likelihood ratio of rho against 1 is a nonnegative martingale under H0, and so is
/// any mixture over rho; by Ville's inequality it ever reaches 1/alpha with probability at most alpha, whatever the
/// number of looks, the window sizes, or the weights (w may change at every step). Group-sequential alpha spending
/// would need the number of looks fixed in advance; a Bayesian posterior has no error guarantee under optional
/// stopping; Flagger's per-interval threshold has neither.
/// </para>
/// <para>
/// The mixture is over a fixed geometric grid of rate ratios with equal weights, so status can store one log
/// likelihood ratio per grid point and the test resumes exactly after a restart. A mixture costs log(grid size) in
/// evidence against the best single alternative, and buys power over a wide range of regressions (x1.25 to x100).
/// </para>
/// </summary>
public static class RateRatioMixtureTest
{
    /// <summary>Alternatives: canary rate / stable rate.</summary>
    public static IReadOnlyList<double> RateRatios { get; } = [1.25, 1.5, 2, 3, 5, 10, 30, 100];

    /// <summary>Adds one window: events and requests of each version over the same window.</summary>
    public static SequentialTestState Update(
        SequentialTestState state,
        long canaryEvents,
        long stableEvents,
        long canaryRequests,
        long stableRequests)
    {
        var events = canaryEvents + stableEvents;
        if (events == 0 || canaryRequests == 0 || stableRequests == 0)
        {
            // No events, or one side without traffic: the window carries no information about the ratio.
            return state;
        }

        var w = (double)canaryRequests / (canaryRequests + stableRequests);
        var logs = state.LogsFor(RateRatios.Count);
        for (var k = 0; k < RateRatios.Count; k++)
        {
            var rho = RateRatios[k];
            var theta = w * rho / ((w * rho) + 1 - w);
            logs[k] += (canaryEvents * Math.Log(theta / w)) + (stableEvents * Math.Log((1 - theta) / (1 - w)));
        }

        return new SequentialTestState(logs, state.Events + events);
    }

    /// <summary>Maximum-likelihood rate ratio from totals (for messages only).</summary>
    public static double? EstimatedRatio(long canaryEvents, long canaryRequests, long stableEvents, long stableRequests)
    {
        if (canaryRequests == 0 || stableRequests == 0 || stableEvents == 0)
        {
            return null;
        }

        return ((double)canaryEvents / canaryRequests) / ((double)stableEvents / stableRequests);
    }
}
