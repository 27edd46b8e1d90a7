namespace LabNet.CanaryController.Analysis;

/// <summary>
/// Sample-ratio check: does the canary's observed share of requests match the weight that was written? A mismatch means
/// routing is not what the controller believes (a stale VirtualService, another writer, a broken subset), so the
/// analysis of this step is not what it claims to be and the ramp must not move on.
/// </summary>
public static class TrafficSplitCheck
{
    public sealed record Result(bool Agrees, double ObservedPercent, double AllowedDeviationPercent);

    /// <param name="tolerancePercent">Systematic allowance (e.g. requests in flight across a weight change), percentage points.</param>
    public static Result Evaluate(int canaryWeight, long canaryRequests, long stableRequests, double tolerancePercent)
    {
        var total = canaryRequests + stableRequests;
        if (total == 0)
        {
            return new Result(false, 0, tolerancePercent);
        }

        var expected = canaryWeight / 100.0;
        var observed = (double)canaryRequests / total;
        // Five standard deviations of binomial noise: a healthy split essentially never fails this check.
        var noise = 5 * Math.Sqrt(Math.Max(expected * (1 - expected), 1e-4) / total);
        var allowed = (tolerancePercent / 100.0) + noise;
        return new Result(Math.Abs(observed - expected) <= allowed, 100 * observed, 100 * allowed);
    }
}
