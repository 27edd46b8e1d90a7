using System.Globalization;
using System.Numerics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LabNet.Yaml;

/// <summary>
/// How go-yaml v2 (and so kubectl and Helm) types a plain scalar, YAML 1.1 style:
/// <list type="bullet">
/// <item><c>y Y yes Yes YES on On ON true True TRUE</c> are true; <c>n N no No NO off Off OFF false False FALSE</c> false;</item>
/// <item><c>~ null Null NULL</c> and the empty scalar are null;</item>
/// <item>integers as Go's <c>strconv.ParseInt(s, 0, 64)</c> reads them after removing <c>_</c>: <c>42</c>, <c>+7</c>,
/// <c>0x1F</c>, <c>0o17</c>, <c>017</c> (octal), <c>0b101</c>; past int64, unsigned up to 2^64-1;</item>
/// <item>floats: <c>1.5</c>, <c>.5</c>, <c>1e3</c>, <c>08</c> (not octal, so a float), <c>.inf -.inf .nan</c>; one
/// out of float64's range (<c>1e400</c>) stays a string;</item>
/// <item>everything else is a string, timestamps (<c>2024-01-01</c>) and sexagesimals (<c>12:30</c>) included.</item>
/// </list>
/// </summary>
public static partial class YamlScalar
{
    private static readonly Dictionary<string, object?> Words = new(StringComparer.Ordinal)
    {
        ["y"] = true, ["Y"] = true, ["yes"] = true, ["Yes"] = true, ["YES"] = true,
        ["true"] = true, ["True"] = true, ["TRUE"] = true,
        ["on"] = true, ["On"] = true, ["ON"] = true,
        ["n"] = false, ["N"] = false, ["no"] = false, ["No"] = false, ["NO"] = false,
        ["false"] = false, ["False"] = false, ["FALSE"] = false,
        ["off"] = false, ["Off"] = false, ["OFF"] = false,
        [""] = null, ["~"] = null, ["null"] = null, ["Null"] = null, ["NULL"] = null,
        [".nan"] = double.NaN, [".NaN"] = double.NaN, [".NAN"] = double.NaN,
        [".inf"] = double.PositiveInfinity, [".Inf"] = double.PositiveInfinity, [".INF"] = double.PositiveInfinity,
        ["+.inf"] = double.PositiveInfinity, ["+.Inf"] = double.PositiveInfinity, ["+.INF"] = double.PositiveInfinity,
        ["-.inf"] = double.NegativeInfinity, ["-.Inf"] = double.NegativeInfinity, ["-.INF"] = double.NegativeInfinity,
    };

    /// <summary>The value of a plain scalar: <see cref="bool"/>, null, <see cref="long"/>, <see cref="ulong"/>, <see cref="double"/> or the text.</summary>
    public static object? Resolve(string text)
    {
        if (Words.TryGetValue(text, out var word))
        {
            return word;
        }

        switch (text[0])
        {
            case '.':
                return DotFloat().IsMatch(text) && TryParseFloat(text, out var fraction) ? fraction : text;
            case '+' or '-' or (>= '0' and <= '9'):
                var plain = text.Replace("_", "", StringComparison.Ordinal);
                if (TryParseGoInteger(plain, out var integer))
                {
                    return integer >= long.MinValue && integer <= long.MaxValue ? (long)integer
                        : plain[0] != '+' && plain[0] != '-' && integer <= ulong.MaxValue ? (ulong)integer
                        : FloatOrText(plain, text);
                }

                return FloatOrText(plain, text);
            default:
                return text;
        }
    }

    /// <summary>Whether a plain scalar with this text reads back as the same string (else a writer must quote it).</summary>
    public static bool ReadsAsString(string text) => text.Length > 0 && Resolve(text) is string;

    /// <summary>The JSON value of a resolved scalar (<see cref="Resolve"/>).</summary>
    public static JsonNode? ToJsonValue(object? value) => value switch
    {
        null => null,
        bool flag => JsonValue.Create(flag),
        long integer => JsonValue.Create(integer),
        ulong big => JsonValue.Create(big),
        double number => JsonValue.Create(number),
        string text => JsonValue.Create(text),
        _ => throw new ArgumentException($"not a resolved YAML scalar: {value.GetType()}", nameof(value)),
    };

    /// <summary>A float map key as sigs.k8s.io/yaml writes it: Go's <c>strconv.FormatFloat(f, 'g', -1, 32)</c>.</summary>
    public static string FormatFloat32(double value)
    {
        if (double.IsNaN(value))
        {
            return ".nan";
        }

        if (double.IsInfinity(value))
        {
            return value > 0 ? ".inf" : "-.inf";
        }

        // The shortest digits that read back as the same float32, and where the decimal point goes among them.
        var shortest = ((float)value).ToString("R", CultureInfo.InvariantCulture);
        var sign = shortest.StartsWith('-') ? "-" : "";
        var parts = shortest.TrimStart('-').Split('E');
        var mantissa = parts[0].Split('.');
        var digits = mantissa[0] + (mantissa.Length > 1 ? mantissa[1] : "");
        var point = mantissa[0].Length + (parts.Length > 1 ? int.Parse(parts[1], CultureInfo.InvariantCulture) : 0);
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        point -= leadingZeros;
        if (digits.Length == 0)
        {
            return sign + "0";
        }

        // Go's shortest 'g': %e when the exponent is below -4 or at least 6, else %f.
        var exponent = point - 1;
        if (exponent is < -4 or >= 6)
        {
            var significand = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
            return $"{sign}{significand}e{(exponent < 0 ? '-' : '+')}{Math.Abs(exponent):00}";
        }

        return point <= 0 ? $"{sign}0.{new string('0', -point)}{digits}"
            : digits.Length <= point ? sign + digits + new string('0', point - digits.Length)
            : $"{sign}{digits[..point]}.{digits[point..]}";
    }

    private static object FloatOrText(string plain, string text) =>
        GoFloat().IsMatch(plain) && TryParseFloat(plain, out var number) ? number : text;

    // strconv.ParseFloat: out of float64's range is an error (the scalar stays a string); underflow is 0.
    private static bool TryParseFloat(string text, out double number) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out number) && double.IsFinite(number);

    // strconv.ParseInt(s, 0, 64)'s syntax: a sign, then 0x/0o/0b or a leading 0 (octal) or decimal digits.
    private static bool TryParseGoInteger(string text, out BigInteger value)
    {
        value = BigInteger.Zero;
        var s = text.AsSpan();
        var negative = false;
        if (s.Length > 0 && s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        var radix = 10;
        if (s.Length >= 2 && s[0] == '0')
        {
            radix = char.ToLowerInvariant(s[1]) switch { 'x' => 16, 'o' => 8, 'b' => 2, _ => 0 };
            s = radix == 0 ? s[1..] : s[2..];
            radix = radix == 0 ? 8 : radix;
        }

        if (s.IsEmpty)
        {
            return false;
        }

        foreach (var c in s)
        {
            var digit = c switch
            {
                >= '0' and <= '9' => c - '0',
                >= 'a' and <= 'f' => c - 'a' + 10,
                >= 'A' and <= 'F' => c - 'A' + 10,
                _ => int.MaxValue,
            };
            if (digit >= radix)
            {
                return false;
            }

            value = (value * radix) + digit;
        }

        if (negative)
        {
            value = -value;
        }

        return true;
    }

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex GoFloat();

    [GeneratedRegex(@"^\.[0-9]+([eE][-+]?[0-9]+)?$")]
    private static partial Regex DotFloat();
}
