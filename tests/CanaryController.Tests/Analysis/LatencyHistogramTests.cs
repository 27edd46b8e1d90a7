using LabNet.CanaryController.Analysis;

namespace LabNet.CanaryController.Tests.Analysis;

public sealed class LatencyHistogramTests
{
    private static readonly double[] Bounds = [10, 20, 50, 100];

    [Fact]
    public void Merging_adds_bucket_counts()
    {
        var merged = new LatencyHistogram(Bounds, [1, 2, 3, 4, 5]).Merge(new LatencyHistogram(Bounds, [5, 4, 3, 2, 1]));

        Assert.Equal([6L, 6, 6, 6, 6], merged.Counts);
        Assert.Equal(30, merged.Total);
    }

    [Fact]
    public void Histograms_with_different_buckets_do_not_merge() =>
        Assert.Throws<ArgumentException>(() => new LatencyHistogram(Bounds, [1, 0, 0, 0, 0]).Merge(LatencyHistogram.Empty([10, 30])));

    [Fact]
    public void Quantile_interpolates_inside_its_bucket()
    {
        var histogram = new LatencyHistogram(Bounds, [0, 50, 50, 0, 0]);

        Assert.Equal(20, histogram.Quantile(0.5)!.Value, 9);
        Assert.Equal(20 + (30 * 0.98), histogram.Quantile(0.99)!.Value, 9);
    }

    [Fact]
    public void Quantile_in_the_overflow_bucket_is_the_highest_bound() =>
        Assert.Equal(100, new LatencyHistogram(Bounds, [0, 0, 0, 0, 10]).Quantile(0.99));

    [Fact]
    public void Empty_histogram_has_no_quantile() => Assert.Null(LatencyHistogram.Empty(Bounds).Quantile(0.99));

    [Fact]
    public void Counts_above_a_bucket_exclude_it()
    {
        var histogram = new LatencyHistogram(Bounds, [1, 2, 3, 4, 5]);

        Assert.Equal(2, histogram.BucketOfQuantile(0.3));
        Assert.Equal(9, histogram.CountAbove(2));
    }

    [Fact]
    public void Malformed_histograms_are_rejected_with_the_reason()
    {
        Assert.Contains("must increase", Assert.Throws<ArgumentException>(() => new LatencyHistogram([10, 5], [0, 0, 0])).Message);
        Assert.Contains("Expected 3 bucket counts", Assert.Throws<ArgumentException>(() => new LatencyHistogram([10, 20], [0, 0])).Message);
    }
}
