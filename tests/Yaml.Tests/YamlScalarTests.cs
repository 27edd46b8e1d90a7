using System.Text.Json.Nodes;
using LabNet.Yaml;

namespace LabNet.Yaml.Tests;

/// <summary>
/// Plain scalars typed as kubectl and Helm type them: sigs.k8s.io/yaml decodes with go-yaml v2, whose resolver follows
/// YAML 1.1 (its resolve table and strconv.ParseInt(s, 0, 64) / ParseFloat), and keeps timestamps as strings.
/// </summary>
public sealed class YamlScalarTests
{
    [Theory]
    [InlineData("y")]
    [InlineData("Y")]
    [InlineData("yes")]
    [InlineData("Yes")]
    [InlineData("YES")]
    [InlineData("on")]
    [InlineData("On")]
    [InlineData("ON")]
    [InlineData("true")]
    [InlineData("True")]
    [InlineData("TRUE")]
    public void YAML_1_1_words_for_yes_are_true(string text) => Assert.Equal(true, YamlScalar.Resolve(text));

    [Theory]
    [InlineData("n")]
    [InlineData("N")]
    [InlineData("no")]
    [InlineData("No")]
    [InlineData("NO")]
    [InlineData("off")]
    [InlineData("Off")]
    [InlineData("OFF")]
    [InlineData("false")]
    [InlineData("False")]
    [InlineData("FALSE")]
    public void YAML_1_1_words_for_no_are_false(string text) => Assert.Equal(false, YamlScalar.Resolve(text));

    [Theory]
    [InlineData("")]
    [InlineData("~")]
    [InlineData("null")]
    [InlineData("Null")]
    [InlineData("NULL")]
    public void Null_spellings_are_null(string text) => Assert.Null(YamlScalar.Resolve(text));

    [Theory]
    [InlineData("yEs")]
    [InlineData("oN")]
    [InlineData("tRUE")]
    [InlineData("nULL")]
    [InlineData("o")]
    [InlineData("t")]
    public void Mixed_case_words_are_strings(string text) => Assert.Equal(text, YamlScalar.Resolve(text));

    [Theory]
    [InlineData("0", 0L)]
    [InlineData("42", 42L)]
    [InlineData("+42", 42L)]
    [InlineData("-42", -42L)]
    [InlineData("1_000_000", 1_000_000L)]
    [InlineData("0x1F", 31L)]
    [InlineData("0X1f", 31L)]
    [InlineData("-0x1F", -31L)]
    [InlineData("0o17", 15L)]
    [InlineData("017", 15L)]
    [InlineData("0b101", 5L)]
    [InlineData("-0b101", -5L)]
    [InlineData("9223372036854775807", long.MaxValue)]
    [InlineData("-9223372036854775808", long.MinValue)]
    public void Integers_are_read_as_Go_ParseInt_with_base_0_reads_them(string text, long expected) =>
        Assert.Equal(expected, YamlScalar.Resolve(text));

    [Fact]
    public void Past_int64_a_positive_integer_is_unsigned_and_a_signed_one_a_float()
    {
        Assert.Equal(18446744073709551615UL, YamlScalar.Resolve("18446744073709551615"));
        Assert.Equal(-9223372036854775809d, YamlScalar.Resolve("-9223372036854775809"));
        Assert.Equal(18446744073709551616d, YamlScalar.Resolve("18446744073709551616"));
    }

    [Theory]
    [InlineData("1.5", 1.5)]
    [InlineData("-1.5", -1.5)]
    [InlineData("+.5", 0.5)]
    [InlineData(".5", 0.5)]
    [InlineData("1.", 1.0)]
    [InlineData("1e3", 1000.0)]
    [InlineData("1.5E-3", 0.0015)]
    [InlineData("6.02e+23", 6.02e23)]
    [InlineData("1_000.5", 1000.5)]
    // Not a valid octal, so not an integer: the float pattern takes it.
    [InlineData("08", 8.0)]
    [InlineData("09.5", 9.5)]
    [InlineData("1e-400", 0.0)]
    public void Floats_are_read_as_go_yaml_reads_them(string text, double expected) => Assert.Equal(expected, YamlScalar.Resolve(text));

    [Theory]
    [InlineData(".inf", double.PositiveInfinity)]
    [InlineData(".Inf", double.PositiveInfinity)]
    [InlineData("+.INF", double.PositiveInfinity)]
    [InlineData("-.inf", double.NegativeInfinity)]
    [InlineData(".nan", double.NaN)]
    [InlineData(".NaN", double.NaN)]
    [InlineData(".NAN", double.NaN)]
    public void Infinities_and_nan_are_floats(string text, double expected) => Assert.Equal(expected, YamlScalar.Resolve(text));

    [Theory]
    [InlineData("2024-01-01")]
    [InlineData("2001-12-14t21:59:43.10-05:00")]
    [InlineData("2001-12-14 21:59:43.10")]
    [InlineData("12:30")]
    [InlineData("190:20:30")]
    [InlineData("1e400")]
    [InlineData("0x")]
    [InlineData("0b2")]
    [InlineData("1.2.3")]
    [InlineData("1,000")]
    [InlineData("-")]
    [InlineData("_1")]
    [InlineData(".")]
    [InlineData(".e5")]
    [InlineData("1e")]
    [InlineData("0.5s")]
    [InlineData("v1")]
    [InlineData("+.nan")]
    public void Timestamps_sexagesimals_and_anything_else_stay_strings(string text) => Assert.Equal(text, YamlScalar.Resolve(text));

    [Theory]
    [InlineData("yes", false)]
    [InlineData("on", false)]
    [InlineData("~", false)]
    [InlineData("0x10", false)]
    [InlineData("1.0", false)]
    [InlineData("", false)]
    [InlineData("hello", true)]
    [InlineData("2024-01-01", true)]
    [InlineData("12:30", true)]
    public void A_writer_knows_which_strings_need_quotes(string text, bool readsAsString) =>
        Assert.Equal(readsAsString, YamlScalar.ReadsAsString(text));

    [Theory]
    [InlineData(1.5, "1.5")]
    [InlineData(1.0, "1")]
    [InlineData(0.1, "0.1")]
    [InlineData(100000.0, "100000")]
    [InlineData(1000000.0, "1e+06")]
    [InlineData(1234567.0, "1.234567e+06")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.00001, "1e-05")]
    [InlineData(-2.5, "-2.5")]
    [InlineData(1e21, "1e+21")]
    [InlineData(double.PositiveInfinity, ".inf")]
    [InlineData(double.NegativeInfinity, "-.inf")]
    [InlineData(double.NaN, ".nan")]
    public void Float_keys_are_written_as_Go_formats_a_float32(double value, string expected) =>
        Assert.Equal(expected, YamlScalar.FormatFloat32(value));

    [Fact]
    public void Resolved_values_become_json_values_of_their_kind()
    {
        Assert.Equal("true", YamlScalar.ToJsonValue(true)!.ToJsonString());
        Assert.Equal("-7", YamlScalar.ToJsonValue(-7L)!.ToJsonString());
        Assert.Equal("18446744073709551615", YamlScalar.ToJsonValue(ulong.MaxValue)!.ToJsonString());
        Assert.Equal("1.5", YamlScalar.ToJsonValue(1.5)!.ToJsonString());
        Assert.Equal("\"x\"", YamlScalar.ToJsonValue("x")!.ToJsonString());
        Assert.Null(YamlScalar.ToJsonValue(null));
    }
}
