namespace LabNet.CanaryController.Analysis;

/// <summary>
/// A mergeable latency histogram with explicit bucket upper bounds (milliseconds), like an OpenTelemetry explicit-bucket
/// histogram: <see cref="Counts"/> has one more entry than <see cref="UpperBoundsMs"/>, the last one counting everything
/// above the highest bound. Exact counts merge exactly, so percentiles over several windows are honest.
/// </summary>
public sealed record LatencyHistogram
{
    public LatencyHistogram(IReadOnlyList<double> upperBoundsMs, IReadOnlyList<long> counts)
    {
        if (upperBoundsMs.Count == 0)
        {
            throw new ArgumentException("A latency histogram needs at least one bucket bound.", nameof(upperBoundsMs));
        }

        for (var i = 1; i < upperBoundsMs.Count; i++)
        {
            if (!(upperBoundsMs[i] > upperBoundsMs[i - 1]))
            {
                throw new ArgumentException($"Bucket bounds must increase: bound[{i}] = {upperBoundsMs[i]} follows {upperBoundsMs[i - 1]}.", nameof(upperBoundsMs));
            }
        }

        if (counts.Count != upperBoundsMs.Count + 1)
        {
            throw new ArgumentException($"Expected {upperBoundsMs.Count + 1} bucket counts (bounds + overflow), got {counts.Count}.", nameof(counts));
        }

        if (counts.Any(count => count < 0))
        {
            throw new ArgumentException("Bucket counts cannot be negative.", nameof(counts));
        }

        UpperBoundsMs = upperBoundsMs;
        Counts = counts;
        Total = counts.Sum();
    }

    public IReadOnlyList<double> UpperBoundsMs { get; }

    public IReadOnlyList<long> Counts { get; }

    public long Total { get; }

    public static LatencyHistogram Empty(IReadOnlyList<double> upperBoundsMs) =>
        new(upperBoundsMs, new long[upperBoundsMs.Count + 1]);

    public bool HasSameBuckets(LatencyHistogram other) => UpperBoundsMs.SequenceEqual(other.UpperBoundsMs);

    public LatencyHistogram Merge(LatencyHistogram other)
    {
        if (!HasSameBuckets(other))
        {
            throw new ArgumentException("Histograms with different bucket bounds cannot be merged.", nameof(other));
        }

        var counts = new long[Counts.Count];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = Counts[i] + other.Counts[i];
        }

        return new LatencyHistogram(UpperBoundsMs, counts);
    }

    /// <summary>The q-quantile (0..1), interpolated linearly inside its bucket; null when empty.</summary>
    public double? Quantile(double q)
    {
        if (Total == 0)
        {
            return null;
        }

        var rank = q * Total;
        long seen = 0;
        for (var i = 0; i < Counts.Count; i++)
        {
            if (Counts[i] == 0 || seen + Counts[i] < rank)
            {
                seen += Counts[i];
                continue;
            }

            if (i == UpperBoundsMs.Count)
            {
                // Overflow bucket has no upper bound: its lower bound is the best honest answer.
                return UpperBoundsMs[^1];
            }

            var lower = i == 0 ? 0 : UpperBoundsMs[i - 1];
            var fraction = Math.Clamp((rank - seen) / Counts[i], 0, 1);
            return lower + (fraction * (UpperBoundsMs[i] - lower));
        }

        return UpperBoundsMs[^1];
    }

    /// <summary>Index of the bucket that holds the q-quantile.</summary>
    public int BucketOfQuantile(double q)
    {
        var rank = q * Total;
        long seen = 0;
        for (var i = 0; i < Counts.Count; i++)
        {
            seen += Counts[i];
            if (seen >= rank && Counts[i] > 0)
            {
                return i;
            }
        }

        return Counts.Count - 1;
    }

    /// <summary>Requests in the buckets after <paramref name="bucket"/> (slower than its upper bound).</summary>
    public long CountAbove(int bucket)
    {
        long count = 0;
        for (var i = bucket + 1; i < Counts.Count; i++)
        {
            count += Counts[i];
        }

        return count;
    }
}
