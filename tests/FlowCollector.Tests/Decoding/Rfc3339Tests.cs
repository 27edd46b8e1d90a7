using System.Text;
using LabNet.FlowCollector.Decoding;

namespace LabNet.FlowCollector.Tests.Decoding;

public sealed class Rfc3339Tests
{
    [Theory]
    [InlineData("1970-01-01T00:00:01Z", 1_000_000_000L)]
    [InlineData("1970-01-01T00:20:34.567800Z", 1_234_567_800_000L)]
    [InlineData("2021-10-04T14:28:38.735173594Z", 1_633_357_718_735_173_594L)]
    [InlineData("2021-10-04T16:28:38.735Z", 1_633_364_918_735_000_000L)]
    [InlineData("2021-10-04T16:28:38.735+02:00", 1_633_357_718_735_000_000L)]
    public void Parses_protojson_timestamps_to_unix_nanoseconds(string text, long expected)
    {
        Assert.True(Rfc3339.TryParseUnixNanos(Encoding.ASCII.GetBytes(text), out var nanos));
        Assert.Equal(expected, nanos);
    }

    [Theory]
    [InlineData("yesterday")]
    [InlineData("2021-10-04 14:28:38Z")]
    [InlineData("2021-02-30T14:28:38Z")]
    [InlineData("2021-10-04T14:28:38")]
    [InlineData("2021-10-04T14:28:38.Z")]
    public void Rejects_what_is_not_RFC_3339(string text)
    {
        Assert.False(Rfc3339.TryParseUnixNanos(Encoding.ASCII.GetBytes(text), out _));
    }

    [Theory]
    [InlineData(1_633_357_718_735_173_594L, "2021-10-04T14:28:38.735173594Z")]
    [InlineData(1_234_567_800_000L, "1970-01-01T00:20:34.567800Z")]
    [InlineData(1_000_000_000L, "1970-01-01T00:00:01Z")]
    [InlineData(1_633_357_718_735_000_000L, "2021-10-04T14:28:38.735Z")]
    public void Formats_with_0_3_6_or_9_fractional_digits_like_protojson(long nanos, string expected)
    {
        Assert.Equal(expected, Rfc3339.Format(nanos));
    }
}
