using LabNet.CanaryController.Serialization;

namespace LabNet.CanaryController.Tests.Manifests;

public sealed class KubernetesDurationTests
{
    [Theory]
    [InlineData("5s", 5_000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1.5h", 5_400_000)]
    [InlineData("250ms", 250)]
    public void Parses_go_style_durations(string text, long milliseconds)
    {
        Assert.True(KubernetesDuration.TryParse(text, out var duration));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), duration);
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("5 s")]
    [InlineData("-5s")]
    [InlineData("1d")]
    public void Rejects_anything_else(string text) => Assert.False(KubernetesDuration.TryParse(text, out _));

    [Fact]
    public void Parse_error_names_the_field_and_the_form()
    {
        var error = Assert.Throws<FormatException>(() => KubernetesDuration.Parse("soon", "spec.analysis.interval"));

        Assert.Equal("spec.analysis.interval: 'soon' is not a duration; write it like 5s, 1m30s or 250ms.", error.Message);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(5_000, "5s")]
    [InlineData(90_000, "1m30s")]
    [InlineData(1_800_000, "30m")]
    [InlineData(93_784_005, "26h3m4s5ms")]
    public void Formats_to_text_that_parses_back(long milliseconds, string text)
    {
        Assert.Equal(text, KubernetesDuration.Format(TimeSpan.FromMilliseconds(milliseconds)));
        Assert.True(KubernetesDuration.TryParse(text, out var back));
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), back);
    }
}
