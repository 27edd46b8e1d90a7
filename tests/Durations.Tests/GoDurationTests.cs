using LabNet.Durations;

namespace LabNet.Durations.Tests;

/// <summary>Go's time.ParseDuration, as Kubernetes, Istio, Helm's --timeout and Hubble's --since read durations.</summary>
public sealed class GoDurationTests
{
    [Theory]
    [InlineData("0", 0)]
    [InlineData("+0", 0)]
    [InlineData("-0", 0)]
    [InlineData("0s", 0)]
    [InlineData("5s", 5_000)]
    [InlineData("1.5s", 1_500)]
    [InlineData(".5s", 500)]
    [InlineData("5.s", 5_000)]
    [InlineData("250ms", 250)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("2h45m", 9_900_000)]
    [InlineData("5m0s", 300_000)]
    [InlineData("1h1m1s1ms", 3_661_001)]
    [InlineData("-1.5h", -5_400_000)]
    [InlineData("+30s", 30_000)]
    [InlineData("1s500ms", 1_500)]
    [InlineData("30s1m", 90_000)]
    public void Reads_what_Go_reads(string text, long milliseconds)
    {
        Assert.True(GoDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Fact]
    public void Sub_millisecond_units_count_to_the_tick_and_finer_is_truncated()
    {
        Assert.True(GoDuration.TryParse("1500us", out var micro));
        Assert.Equal(TimeSpan.FromTicks(15_000), micro);
        Assert.True(GoDuration.TryParse("3\u00b5s", out var micro2));
        Assert.Equal(TimeSpan.FromTicks(30), micro2);
        Assert.True(GoDuration.TryParse("2\u03bcs", out var micro3));
        Assert.Equal(TimeSpan.FromTicks(20), micro3);
        Assert.True(GoDuration.TryParse("250ns", out var nano));
        Assert.Equal(TimeSpan.FromTicks(2), nano);
    }

    [Theory]
    [InlineData("", "time: invalid duration \"\"")]
    [InlineData("s", "time: invalid duration \"s\"")]
    [InlineData(".s", "time: invalid duration \".s\"")]
    [InlineData("-", "time: invalid duration \"-\"")]
    [InlineData("1", "time: missing unit in duration \"1\"")]
    [InlineData("1h30", "time: missing unit in duration \"1h30\"")]
    [InlineData("1d", "time: unknown unit \"d\" in duration \"1d\"")]
    [InlineData("5 s", "time: unknown unit \" s\" in duration \"5 s\"")]
    [InlineData("1S", "time: unknown unit \"S\" in duration \"1S\"")]
    [InlineData("soon", "time: invalid duration \"soon\"")]
    [InlineData("3000000h", "time: invalid duration \"3000000h\"")]
    [InlineData("9223372036854775808ns", "time: invalid duration \"9223372036854775808ns\"")]
    public void Refuses_anything_else_with_Gos_words(string text, string error)
    {
        Assert.False(GoDuration.TryParse(text, out _, out var message));
        Assert.Equal(error, message);
    }

    [Fact]
    public void The_most_negative_duration_fits_and_one_more_does_not()
    {
        Assert.True(GoDuration.TryParse("-9223372036854775808ns", out var least));
        Assert.Equal(TimeSpan.FromTicks(-92233720368547758), least);
        Assert.False(GoDuration.TryParse("-9223372036854775809ns", out _));
    }

    [Fact]
    public void Leading_zeros_do_not_count_against_the_range() =>
        Assert.True(GoDuration.TryParse("0000000000000000000000001s", out var one) && one == TimeSpan.FromSeconds(1));

    [Fact]
    public void A_field_that_is_not_a_duration_is_named_with_how_to_write_it()
    {
        var error = Assert.Throws<FormatException>(() => GoDuration.Parse("soon", "spec.analysis.interval"));

        Assert.Equal("spec.analysis.interval: 'soon' is not a duration; write it like 5s, 1m30s or 250ms.", error.Message);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(250, "250ms")]
    [InlineData(5_000, "5s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(3_600_000, "1h")]
    [InlineData(90_061_001, "25h1m1s1ms")]
    [InlineData(-1_500, "-1s500ms")]
    public void Formats_the_shortest_text_Go_reads_back(long milliseconds, string text)
    {
        Assert.Equal(text, GoDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));
        Assert.True(GoDuration.TryParse(text, out var back));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), back);
    }
}
