namespace LabNet.Traffic;

/// <summary>
/// The one bucket scheme of <see cref="LatencyHistogram"/>: bucket <c>i</c> counts latencies in
/// (<see cref="UpperBoundMs"/>(i - 1), <see cref="UpperBoundMs"/>(i)] with <c>UpperBoundMs(i) = 0.1 ms x 1.05^i</c>. Bucket 0
/// also takes everything at or below 0.1 ms, the last one (about 99 s) everything above. 5 % wide buckets keep any
/// percentile within 5 % of the truth, whatever the window.
/// </summary>
public static class LatencyBuckets
{
    public const double FirstBoundMs = 0.1;

    public const double Growth = 1.05;

    /// <summary>0.1 ms x 1.05^283 is about 99 s.</summary>
    public const int Count = 284;

    private static readonly double LogGrowth = Math.Log(Growth);

    public static double UpperBoundMs(int index) => FirstBoundMs * Math.Pow(Growth, index);

    public static double LowerBoundMs(int index) => index <= 0 ? 0 : UpperBoundMs(index - 1);

    /// <summary>The bucket of a latency in nanoseconds, as Hubble reports it (<c>l7.latency_ns</c>).</summary>
    public static int IndexOfNanos(long latencyNanos) => IndexOfMs(latencyNanos / 1e6);

    public static int IndexOfMs(double latencyMs)
    {
        if (!(latencyMs > FirstBoundMs))
        {
            return 0;
        }

        var index = Math.Min((int)Math.Ceiling(Math.Log(latencyMs / FirstBoundMs) / LogGrowth), Count - 1);
        // The logarithm can land a hair past a bound: the bucket's upper bound is inclusive.
        return index > 0 && latencyMs <= UpperBoundMs(index - 1) ? index - 1 : index;
    }
}
