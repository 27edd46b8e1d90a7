using System.Text.Json.Serialization;

namespace LabNet.Traffic;

/// <summary>
/// Request latencies of one version over a window, as exact counts in the fixed buckets of <see cref="LatencyBuckets"/>.
/// Merging is adding counts, so per-second histograms add up to any window, and windows to a whole step or analysis,
/// without keeping a single sample; a percentile is the upper bound of the bucket it falls in (at most 5 % high).
/// <para>
/// JSON: <c>{"firstBoundMs": 0.1, "growth": 1.05, "offset": 57, "counts": [3, 0, 12]}</c>: <c>counts[k]</c> is bucket
/// <c>offset + k</c>; the buckets before and after are empty. The scheme's two numbers travel along so a reader can
/// tell the bounds without this library, and refuse a histogram written with other buckets (<see cref="Problem"/>).
/// </para>
/// </summary>
public sealed record LatencyHistogram
{
    public static LatencyHistogram Empty { get; } = new();

    public double FirstBoundMs { get; init; } = LatencyBuckets.FirstBoundMs;

    public double Growth { get; init; } = LatencyBuckets.Growth;

    /// <summary>Index of the bucket <c>Counts[0]</c> counts.</summary>
    public int Offset { get; init; }

    public IReadOnlyList<long> Counts { get; init; } = [];

    /// <summary>Requests counted (the sum of the buckets).</summary>
    [JsonIgnore]
    public long Total => Counts.Sum();

    /// <summary>The histogram of dense per-bucket counts (<see cref="LatencyBuckets.Count"/> of them), without the empty ends.</summary>
    public static LatencyHistogram FromBuckets(ReadOnlySpan<long> buckets)
    {
        var first = buckets.IndexOfAnyExcept(0L);
        if (first < 0)
        {
            return Empty;
        }

        var last = buckets.LastIndexOfAnyExcept(0L);
        return new LatencyHistogram { Offset = first, Counts = buckets[first..(last + 1)].ToArray() };
    }

    /// <summary>Requests in bucket <paramref name="index"/>.</summary>
    public long CountOf(int index) => index >= Offset && index < Offset + Counts.Count ? Counts[index - Offset] : 0;

    public LatencyHistogram Merge(LatencyHistogram other)
    {
        if (other.Counts.Count == 0)
        {
            return this;
        }

        if (Counts.Count == 0)
        {
            return other;
        }

        var first = Math.Min(Offset, other.Offset);
        var end = Math.Max(Offset + Counts.Count, other.Offset + other.Counts.Count);
        var counts = new long[end - first];
        for (var i = 0; i < counts.Length; i++)
        {
            counts[i] = CountOf(first + i) + other.CountOf(first + i);
        }

        return new LatencyHistogram { Offset = first, Counts = counts };
    }

    /// <summary>The bucket holding the q-quantile (0..1): where the ceil(q x total)-th fastest request falls; null when empty.</summary>
    public int? BucketOfQuantile(double q)
    {
        var total = Total;
        if (total == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(q * total));
        long seen = 0;
        for (var k = 0; k < Counts.Count; k++)
        {
            seen += Counts[k];
            if (seen >= rank)
            {
                return Offset + k;
            }
        }

        return Offset + Counts.Count - 1;
    }

    /// <summary>The q-quantile in milliseconds: the upper bound of its bucket; null when empty.</summary>
    public double? QuantileMs(double q) => BucketOfQuantile(q) is { } bucket ? LatencyBuckets.UpperBoundMs(bucket) : null;

    /// <summary>Requests slower than the upper bound of <paramref name="bucket"/> (in the buckets after it).</summary>
    public long CountAbove(int bucket)
    {
        long count = 0;
        for (var k = Math.Max(0, bucket + 1 - Offset); k < Counts.Count; k++)
        {
            count += Counts[k];
        }

        return count;
    }

    /// <summary>Why this histogram cannot be read with these buckets, or null when it can.</summary>
    public string? Problem() =>
        FirstBoundMs != LatencyBuckets.FirstBoundMs || Growth != LatencyBuckets.Growth
            ? $"the latency histogram has buckets from {FirstBoundMs} ms growing x{Growth}; this reader knows {LatencyBuckets.FirstBoundMs} ms x{LatencyBuckets.Growth}"
            : Offset < 0 || Offset + Counts.Count > LatencyBuckets.Count
                ? $"the latency histogram's buckets {Offset}..{Offset + Counts.Count - 1} are outside 0..{LatencyBuckets.Count - 1}"
                : Counts.Any(count => count < 0)
                    ? "the latency histogram has a negative count"
                    : null;

    public bool Equals(LatencyHistogram? other) =>
        other is not null
        && FirstBoundMs == other.FirstBoundMs
        && Growth == other.Growth
        && Trimmed(this).SequenceEqual(Trimmed(other))
        && FirstNonEmpty(this) == FirstNonEmpty(other);

    public override int GetHashCode() => HashCode.Combine(FirstNonEmpty(this), Total);

    private static int FirstNonEmpty(LatencyHistogram histogram)
    {
        for (var k = 0; k < histogram.Counts.Count; k++)
        {
            if (histogram.Counts[k] != 0)
            {
                return histogram.Offset + k;
            }
        }

        return -1;
    }

    private static IEnumerable<long> Trimmed(LatencyHistogram histogram) =>
        histogram.Counts.SkipWhile(count => count == 0).Reverse().SkipWhile(count => count == 0);
}
