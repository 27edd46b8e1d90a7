namespace LabNet.FlowCollector.Traffic;

/// <summary>
/// A mergeable latency histogram with log-linear buckets (5% wide, 0.1 ms to 100 s; values outside are clamped):
/// exact counts, percentiles within 5% relative error, and two histograms merge by adding their bucket counts, so
/// per-second histograms add up to any window without keeping samples. About 1.1 KB.
/// </summary>
public sealed class LatencyHistogram
{
    public const double Growth = 1.05;
    private const double MinNanos = 100_000;
    public const int BucketCount = 284;

    private static readonly double LogGrowth = Math.Log(Growth);

    private readonly int[] _counts = new int[BucketCount];

    public long Count { get; private set; }

    public void Add(long latencyNanos)
    {
        _counts[IndexOf(latencyNanos)]++;
        Count++;
    }

    public void Merge(LatencyHistogram other)
    {
        for (var i = 0; i < BucketCount; i++)
        {
            _counts[i] += other._counts[i];
        }

        Count += other.Count;
    }

    public void Clear()
    {
        Array.Clear(_counts);
        Count = 0;
    }

    /// <summary>The q-quantile (0..1) in nanoseconds: the upper bound of the bucket where it falls; null when empty.</summary>
    public double? Quantile(double q)
    {
        if (Count == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(q * Count));
        long seen = 0;
        for (var i = 0; i < BucketCount; i++)
        {
            seen += _counts[i];
            if (seen >= rank)
            {
                return UpperBoundOf(i);
            }
        }

        return UpperBoundOf(BucketCount - 1);
    }

    public static int IndexOf(long latencyNanos)
    {
        if (latencyNanos <= MinNanos)
        {
            return 0;
        }

        var index = (int)Math.Ceiling(Math.Log(latencyNanos / MinNanos) / LogGrowth);
        return Math.Min(index, BucketCount - 1);
    }

    public static double UpperBoundOf(int index) => MinNanos * Math.Pow(Growth, index);
}
