using System.Text.Json;
using LabNet.Traffic;

namespace LabNet.FlowCollector.Tests.Traffic;

/// <summary>The one latency histogram of the traffic summary: buckets, merging, percentiles and its JSON shape.</summary>
public sealed class LatencyHistogramTests
{
    [Fact]
    public void A_bucket_ends_at_its_upper_bound_inclusive_and_the_ends_take_everything_beyond()
    {
        Assert.Equal(0, LatencyBuckets.IndexOfMs(0.01));
        Assert.Equal(0, LatencyBuckets.IndexOfMs(0.1));
        Assert.Equal(1, LatencyBuckets.IndexOfMs(0.1001));
        for (var i = 1; i < LatencyBuckets.Count; i += 7)
        {
            Assert.Equal(i, LatencyBuckets.IndexOfMs(LatencyBuckets.UpperBoundMs(i)));
            Assert.Equal(i, LatencyBuckets.IndexOfMs(LatencyBuckets.LowerBoundMs(i) * 1.0001));
        }

        Assert.Equal(LatencyBuckets.Count - 1, LatencyBuckets.IndexOfMs(3_600_000));
        Assert.InRange(LatencyBuckets.UpperBoundMs(LatencyBuckets.Count - 1), 90_000, 110_000);
    }

    [Fact]
    public void Merging_adds_the_counts_of_every_bucket_whatever_the_offsets()
    {
        var a = new LatencyHistogram { Offset = 10, Counts = [1, 2, 3] };
        var b = new LatencyHistogram { Offset = 12, Counts = [4, 0, 5] };

        var merged = a.Merge(b);

        Assert.Equal(10, merged.Offset);
        Assert.Equal([1L, 2, 7, 0, 5], merged.Counts);
        Assert.Equal(a.Total + b.Total, merged.Total);
        Assert.Equal(merged, b.Merge(a));
        Assert.Equal(a, a.Merge(LatencyHistogram.Empty));
    }

    [Fact]
    public void Histograms_with_the_same_counts_are_equal_however_they_are_padded()
    {
        Assert.Equal(new LatencyHistogram { Offset = 10, Counts = [0, 3, 0] }, new LatencyHistogram { Offset = 11, Counts = [3] });
        Assert.NotEqual(new LatencyHistogram { Offset = 10, Counts = [3] }, new LatencyHistogram { Offset = 11, Counts = [3] });
    }

    [Fact]
    public void A_percentile_is_the_upper_bound_of_the_bucket_of_its_rank()
    {
        var builder = new LatencyHistogramBuilder();
        for (var i = 1; i <= 100; i++)
        {
            builder.AddNanos(i * 1_000_000L); // 1 ms .. 100 ms
        }

        var histogram = builder.ToHistogram();

        Assert.Equal(100, histogram.Total);
        Assert.Equal(LatencyBuckets.UpperBoundMs(LatencyBuckets.IndexOfMs(50)), histogram.QuantileMs(0.50));
        Assert.Equal(LatencyBuckets.UpperBoundMs(LatencyBuckets.IndexOfMs(99)), histogram.QuantileMs(0.99));
        Assert.InRange(histogram.QuantileMs(0.99)!.Value, 99, 99 * 1.05);
        Assert.Null(LatencyHistogram.Empty.QuantileMs(0.99));
    }

    [Fact]
    public void Count_above_a_bucket_is_the_requests_slower_than_its_upper_bound()
    {
        var histogram = new LatencyHistogram { Offset = 20, Counts = [5, 4, 3, 2, 1] };

        Assert.Equal(6, histogram.CountAbove(21));
        Assert.Equal(15, histogram.CountAbove(3));
        Assert.Equal(0, histogram.CountAbove(24));
    }

    [Fact]
    public void Json_carries_the_bucket_scheme_the_offset_and_the_counts()
    {
        var histogram = new LatencyHistogram { Offset = 57, Counts = [3, 0, 12] };

        var json = JsonSerializer.Serialize(histogram, TrafficSummaryApi.Json);

        Assert.Equal("""{"firstBoundMs":0.1,"growth":1.05,"offset":57,"counts":[3,0,12]}""", json);
        Assert.Equal(histogram, JsonSerializer.Deserialize<LatencyHistogram>(json, TrafficSummaryApi.Json));
    }

    [Theory]
    [InlineData("""{"firstBoundMs":1,"growth":2,"offset":0,"counts":[1]}""", "buckets from 1 ms growing x2")]
    [InlineData("""{"firstBoundMs":0.1,"growth":1.05,"offset":283,"counts":[1,1]}""", "outside 0..283")]
    [InlineData("""{"firstBoundMs":0.1,"growth":1.05,"offset":3,"counts":[-1]}""", "negative count")]
    public void A_histogram_these_buckets_cannot_read_says_why(string json, string problem)
    {
        var histogram = JsonSerializer.Deserialize<LatencyHistogram>(json, TrafficSummaryApi.Json)!;

        Assert.Contains(problem, histogram.Problem());
    }

    [Fact]
    public void The_builder_counts_in_place_and_gives_the_same_histogram_as_its_counts()
    {
        var a = new LatencyHistogramBuilder();
        var b = new LatencyHistogramBuilder();
        a.AddNanos(2_000_000);
        a.AddNanos(2_000_000);
        b.AddNanos(40_000_000);

        a.Add(b);

        var expected = new long[LatencyBuckets.Count];
        expected[LatencyBuckets.IndexOfMs(2)] = 2;
        expected[LatencyBuckets.IndexOfMs(40)] = 1;
        Assert.Equal(3, a.Total);
        Assert.Equal(LatencyHistogram.FromBuckets(expected), a.ToHistogram());
        a.Clear();
        Assert.Equal(LatencyHistogram.Empty, a.ToHistogram());
    }
}
