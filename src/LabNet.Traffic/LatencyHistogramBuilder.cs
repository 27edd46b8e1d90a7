namespace LabNet.Traffic;

/// <summary>
/// Counts latencies into the buckets of <see cref="LatencyBuckets"/> in place (one array, no allocation per request),
/// for whoever records requests one by one; <see cref="ToHistogram"/> gives the <see cref="LatencyHistogram"/> to send or
/// keep. Not thread-safe.
/// </summary>
public sealed class LatencyHistogramBuilder
{
    // int per bucket: a second, or a window of at most a few minutes, of one version's requests.
    private readonly int[] _counts = new int[LatencyBuckets.Count];

    public long Total { get; private set; }

    public void AddNanos(long latencyNanos)
    {
        _counts[LatencyBuckets.IndexOfNanos(latencyNanos)]++;
        Total++;
    }

    public void Add(LatencyHistogramBuilder other)
    {
        if (other.Total == 0)
        {
            return;
        }

        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] = checked(_counts[i] + other._counts[i]);
        }

        Total += other.Total;
    }

    public void Clear()
    {
        if (Total != 0)
        {
            Array.Clear(_counts);
            Total = 0;
        }
    }

    public LatencyHistogram ToHistogram()
    {
        Span<long> counts = stackalloc long[LatencyBuckets.Count];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = _counts[i];
        }

        return LatencyHistogram.FromBuckets(counts);
    }
}
