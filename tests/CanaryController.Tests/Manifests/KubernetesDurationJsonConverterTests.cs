using System.Text.Json;
using LabNet.CanaryController.Serialization;

namespace LabNet.CanaryController.Tests.Manifests;

/// <summary>The Canary's duration fields on the wire: Go's duration text (the shared parser), never negative.</summary>
public sealed class KubernetesDurationJsonConverterTests
{
    [Theory]
    [InlineData("\"5s\"", 5_000)]
    [InlineData("\"1m30s\"", 90_000)]
    [InlineData("\"1.5h\"", 5_400_000)]
    [InlineData("\"250ms\"", 250)]
    public void Reads_go_durations(string json, long milliseconds) =>
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), JsonSerializer.Deserialize<TimeSpan>(json, CanaryJson.Options));

    [Theory]
    [InlineData("\"-5s\"")]
    [InlineData("\"5\"")]
    [InlineData("\"1d\"")]
    public void Refuses_negative_and_malformed_durations_saying_how_to_write_them(string json)
    {
        var error = Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<TimeSpan>(json, CanaryJson.Options));

        Assert.Contains("write it like 5s, 1m30s or 250ms", error.Message);
    }

    [Fact]
    public void Writes_the_shortest_text() => Assert.Equal("\"26h3m4s5ms\"", JsonSerializer.Serialize(TimeSpan.FromMilliseconds(93_784_005), CanaryJson.Options));
}
