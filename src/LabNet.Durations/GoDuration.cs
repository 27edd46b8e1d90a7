using System.Globalization;
using System.Text;

namespace LabNet.Durations;

/// <summary>
/// Durations as Go's <c>time.ParseDuration</c> reads them, which is how Kubernetes, Istio, Helm's <c>--timeout</c> and
/// Hubble's <c>--since</c> take them: an optional sign, then one or more decimal numbers each with a unit
/// (<c>ns</c>, <c>us</c>/<c>µs</c>, <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c>), e.g. <c>300ms</c>, <c>-1.5h</c>,
/// <c>2h45m</c>; <c>0</c> alone needs no unit. Sub-tick precision (Go counts nanoseconds, a TimeSpan 100 ns ticks) is
/// truncated.
/// </summary>
public static class GoDuration
{
    private const decimal MaxNanoseconds = long.MaxValue;

    public static bool TryParse(string? text, out TimeSpan duration) => TryParse(text, out duration, out _);

    /// <param name="error">Go's own error text when the text is not a duration, e.g. <c>time: unknown unit "d" in duration "1d"</c>.</param>
    public static bool TryParse(string? text, out TimeSpan duration, out string? error)
    {
        duration = TimeSpan.Zero;
        error = null;
        var original = text ?? "";
        var s = original.AsSpan();
        var negative = false;
        if (s.Length > 0 && s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s is "0")
        {
            return true;
        }

        if (s.IsEmpty)
        {
            error = Invalid(original);
            return false;
        }

        var nanoseconds = 0m;
        while (!s.IsEmpty)
        {
            // The number: digits, optionally a '.' and more digits; at least one digit on either side.
            var integerDigits = Digits(s);
            var integer = s[..integerDigits];
            s = s[integerDigits..];
            var fraction = ReadOnlySpan<char>.Empty;
            if (!s.IsEmpty && s[0] == '.')
            {
                s = s[1..];
                var fractionDigits = Digits(s);
                fraction = s[..fractionDigits];
                s = s[fractionDigits..];
            }

            // Leading zeros do not count against the range ("0000001s" is one second).
            if (integer.Length > 1 && integer[0] == '0')
            {
                integer = integer.TrimStart('0') is { IsEmpty: false } significant ? significant : "0";
            }

            if (integer.IsEmpty && fraction.IsEmpty || integer.Length > 20)
            {
                error = Invalid(original);
                return false;
            }

            var unitLength = 0;
            while (unitLength < s.Length && s[unitLength] != '.' && !char.IsAsciiDigit(s[unitLength]))
            {
                unitLength++;
            }

            if (unitLength == 0)
            {
                error = $"time: missing unit in duration {Quote(original)}";
                return false;
            }

            var unit = s[..unitLength].ToString();
            s = s[unitLength..];
            if (NanosecondsPer(unit) is not { } scale)
            {
                error = $"time: unknown unit {Quote(unit)} in duration {Quote(original)}";
                return false;
            }

            var value = integer.IsEmpty ? 0m : decimal.Parse(integer, NumberStyles.None, CultureInfo.InvariantCulture);
            if (!fraction.IsEmpty)
            {
                // Go keeps at most about 19 significant fraction digits; more cannot change a nanosecond count.
                var kept = fraction[..Math.Min(fraction.Length, 18)];
                value += decimal.Parse(kept, NumberStyles.None, CultureInfo.InvariantCulture) / Pow10(kept.Length);
            }

            nanoseconds += value * scale;
            if (nanoseconds > MaxNanoseconds + (negative ? 1 : 0))
            {
                error = Invalid(original);
                return false;
            }
        }

        var ticks = (long)decimal.Truncate(nanoseconds / 100);
        duration = TimeSpan.FromTicks(negative ? -ticks : ticks);
        return true;
    }

    /// <summary>Parses a duration that a setting or a manifest field holds; the error names the field and how to write it.</summary>
    public static TimeSpan Parse(string? text, string field) =>
        TryParse(text, out var duration)
            ? duration
            : throw new FormatException($"{field}: '{text}' is not a duration; write it like 5s, 1m30s or 250ms.");

    /// <summary>The shortest text Go reads back as the same duration, to the millisecond: <c>1h</c>, <c>1m30s</c>, <c>250ms</c>, <c>0s</c>.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        var text = new StringBuilder();
        if (duration < TimeSpan.Zero)
        {
            text.Append('-');
            duration = duration.Duration();
        }

        var hours = (long)duration.TotalHours;
        if (hours > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{hours}h");
        }

        if (duration.Minutes > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{duration.Minutes}m");
        }

        if (duration.Seconds > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{duration.Seconds}s");
        }

        if (duration.Milliseconds > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $"{duration.Milliseconds}ms");
        }

        return text.Length is 0 or 1 ? "0s" : text.ToString();
    }

    private static decimal? NanosecondsPer(string unit) => unit switch
    {
        "ns" => 1m,
        "us" or "\u00b5s" or "\u03bcs" => 1_000m,
        "ms" => 1_000_000m,
        "s" => 1_000_000_000m,
        "m" => 60_000_000_000m,
        "h" => 3_600_000_000_000m,
        _ => null,
    };

    private static int Digits(ReadOnlySpan<char> s)
    {
        var count = 0;
        while (count < s.Length && char.IsAsciiDigit(s[count]))
        {
            count++;
        }

        return count;
    }

    private static decimal Pow10(int exponent)
    {
        var result = 1m;
        for (var i = 0; i < exponent; i++)
        {
            result *= 10;
        }

        return result;
    }

    private static string Invalid(string original) => $"time: invalid duration {Quote(original)}";

    // Go's strconv.Quote for the texts a person types (printable ASCII and Unicode letters kept as they are).
    private static string Quote(string text) => "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
