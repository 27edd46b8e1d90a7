using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace LabNet.Simulator.Cel;

/// <summary>CEL's type conversions (<c>int()</c>, <c>string()</c>, <c>duration()</c>...) and how values print, as cel-go does them.</summary>
public static partial class CelConversions
{
    public static object ToInt(object value)
    {
        switch (value)
        {
            case long l:
                return l;
            case ulong u:
                return u <= long.MaxValue ? (long)u : new CelError("range error");
            case double d:
                // cel-go refuses values that do not fit, including the edges a double cannot hold exactly.
                return double.IsNaN(d) || d <= -9.2233720368547758e18 || d >= 9.2233720368547758e18 ? new CelError("range error") : (long)d;
            case string s:
                return long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)
                    ? parsed
                    : new CelError($"strconv.ParseInt: parsing \"{s}\": invalid syntax");
            case DateTimeOffset t:
                return t.ToUnixTimeSeconds();
            case bool:
                return CelError.NoMatchingOverload("int");
        }

        return CelError.NoMatchingOverload("int");
    }

    public static object ToUint(object value) => value switch
    {
        ulong u => u,
        long l => l >= 0 ? (ulong)l : new CelError("range error"),
        double d => double.IsNaN(d) || d < 0 || d >= 1.8446744073709552e19 ? new CelError("range error") : (ulong)d,
        string s => ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : new CelError($"strconv.ParseUint: parsing \"{s}\": invalid syntax"),
        _ => CelError.NoMatchingOverload("uint"),
    };

    public static object ToDouble(object value) => value switch
    {
        double d => d,
        long l => (double)l,
        ulong u => (double)u,
        string s => double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : s switch
            {
                "NaN" => double.NaN,
                "Inf" or "+Inf" or "Infinity" => double.PositiveInfinity,
                "-Inf" or "-Infinity" => double.NegativeInfinity,
                _ => new CelError($"strconv.ParseFloat: parsing \"{s}\": invalid syntax"),
            },
        _ => CelError.NoMatchingOverload("double"),
    };

    public static object ToBool(object value) => value switch
    {
        bool b => b,
        string s => s switch
        {
            "1" or "t" or "T" or "true" or "TRUE" or "True" => true,
            "0" or "f" or "F" or "false" or "FALSE" or "False" => false,
            _ => new CelError($"strconv.ParseBool: parsing \"{s}\": invalid syntax"),
        },
        _ => CelError.NoMatchingOverload("bool"),
    };

    public static object ToCelString(object value) => value switch
    {
        string s => s,
        long l => l.ToString(CultureInfo.InvariantCulture),
        ulong u => u.ToString(CultureInfo.InvariantCulture),
        double d => FormatDouble(d),
        bool b => b ? "true" : "false",
        CelBytes bytes => Utf8(bytes),
        TimeSpan d => FormatDuration(d),
        DateTimeOffset t => FormatTimestamp(t),
        CelType t => t.Name,
        CelNull => "null",
        ICelObject o => o.ToString() ?? "",
        _ => CelError.NoMatchingOverload("string"),
    };

    private static object Utf8(CelBytes bytes)
    {
        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes.Value);
        }
        catch (DecoderFallbackException)
        {
            return new CelError("invalid UTF-8 in bytes, cannot convert to string");
        }
    }

    /// <summary>Go's <c>%g</c> (what cel-go's <c>string(double)</c> uses): shortest digits, exponent form below 1e-4 and from 1e6.</summary>
    public static string FormatDouble(double d)
    {
        if (double.IsNaN(d))
        {
            return "NaN";
        }

        if (double.IsInfinity(d))
        {
            return d > 0 ? "+Inf" : "-Inf";
        }

        if (d == 0)
        {
            return double.IsNegative(d) ? "-0" : "0";
        }

        // Shortest round-trip digits and the decimal exponent of the first one.
        var r = Math.Abs(d).ToString("R", CultureInfo.InvariantCulture);
        var e = r.IndexOf('E');
        var mantissa = e < 0 ? r : r[..e];
        var exponent = e < 0 ? 0 : int.Parse(r[(e + 1)..], CultureInfo.InvariantCulture);
        var point = mantissa.IndexOf('.');
        var digits = mantissa.Replace(".", "", StringComparison.Ordinal);
        exponent += (point < 0 ? mantissa.Length : point) - 1;
        var leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.TrimStart('0').TrimEnd('0');
        exponent -= leadingZeros;
        if (digits.Length == 0)
        {
            digits = "0";
        }

        var sign = d < 0 ? "-" : "";
        if (exponent < -4 || exponent >= 6)
        {
            var fraction = digits.Length > 1 ? "." + digits[1..] : "";
            return $"{sign}{digits[0]}{fraction}e{(exponent < 0 ? "-" : "+")}{Math.Abs(exponent):00}";
        }

        if (exponent < 0)
        {
            return $"{sign}0.{new string('0', -exponent - 1)}{digits}";
        }

        return digits.Length <= exponent + 1
            ? sign + digits + new string('0', exponent + 1 - digits.Length)
            : $"{sign}{digits[..(exponent + 1)]}.{digits[(exponent + 1)..]}";
    }

    /// <summary>As protobuf's JSON form, which cel-go prints: <c>60s</c>, <c>1.5s</c>.</summary>
    public static string FormatDuration(TimeSpan d)
    {
        var seconds = d.Ticks / (decimal)TimeSpan.TicksPerSecond;
        return seconds.ToString("0.#########", CultureInfo.InvariantCulture) + "s";
    }

    public static string FormatTimestamp(DateTimeOffset t) =>
        t.UtcDateTime.ToString(t.Ticks % TimeSpan.TicksPerSecond == 0 ? "yyyy-MM-ddTHH:mm:ssZ" : "yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", CultureInfo.InvariantCulture);

    public static object ToTimestamp(object value)
    {
        switch (value)
        {
            case DateTimeOffset t:
                return t;
            case long seconds:
                return seconds is < -62135596800 or > 253402300799 ? new CelError("timestamp out of range") : DateTimeOffset.FromUnixTimeSeconds(seconds);
            case string s:
                return DateTimeOffset.TryParseExact(s, ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK"], CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal, out var parsed) && (s.EndsWith('Z') || s.EndsWith('z') || RfcOffset().IsMatch(s))
                    ? parsed
                    : new CelError($"parsing time \"{s}\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"{s}\" as \"2006\"");
            default:
                return CelError.NoMatchingOverload("timestamp");
        }
    }

    [GeneratedRegex(@"[+-]\d\d:\d\d$")]
    private static partial Regex RfcOffset();

    [GeneratedRegex(@"^([0-9]*(\.[0-9]*)?)([^0-9.]*)")]
    private static partial Regex DurationPart();

    /// <summary>Go's <c>time.ParseDuration</c>: <c>1h30m</c>, <c>-1.5s</c>, <c>300ms</c>, <c>0</c>, with its error messages.</summary>
    public static object ParseDuration(string text)
    {
        var s = text;
        var negative = false;
        if (s.Length > 0 && s[0] is '+' or '-')
        {
            negative = s[0] == '-';
            s = s[1..];
        }

        if (s == "0")
        {
            return TimeSpan.Zero;
        }

        if (s.Length == 0)
        {
            return new CelError($"time: invalid duration \"{text}\"");
        }

        decimal nanos = 0;
        while (s.Length > 0)
        {
            var match = DurationPart().Match(s);
            if (match.Groups[1].Value is "" or ".")
            {
                return new CelError($"time: invalid duration \"{text}\"");
            }

            decimal? unit = match.Groups[3].Value switch
            {
                "ns" => 1m,
                "us" or "µs" or "μs" => 1_000m,
                "ms" => 1_000_000m,
                "s" => 1_000_000_000m,
                "m" => 60_000_000_000m,
                "h" => 3_600_000_000_000m,
                _ => null,
            };
            if (unit is null)
            {
                return new CelError(match.Groups[3].Value.Length == 0
                    ? $"time: missing unit in duration \"{text}\""
                    : $"time: unknown unit \"{match.Groups[3].Value}\" in duration \"{text}\"");
            }

            nanos += decimal.Parse(match.Groups[1].Value, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * unit.Value;
            s = s[match.Length..];
        }

        if (nanos > long.MaxValue)
        {
            return new CelError($"time: invalid duration \"{text}\"");
        }

        var ticks = (long)(nanos / 100);
        return TimeSpan.FromTicks(negative ? -ticks : ticks);
    }

    internal static object? TimestampAccessor(string function, DateTimeOffset t, object[] args)
    {
        var local = t.UtcDateTime;
        if (args.Length == 1)
        {
            if (args[0] is not string zone)
            {
                return null;
            }

            var offset = ZoneOffset(zone, t);
            if (offset is null)
            {
                return new CelError($"unknown time zone {zone}");
            }

            local = t.ToOffset(offset.Value).DateTime;
        }

        return function switch
        {
            "getFullYear" => (long)local.Year,
            "getMonth" => (long)local.Month - 1,
            "getDate" => (long)local.Day,
            "getDayOfMonth" => (long)local.Day - 1,
            "getDayOfWeek" => (long)local.DayOfWeek,
            "getDayOfYear" => (long)local.DayOfYear - 1,
            "getHours" => (long)local.Hour,
            "getMinutes" => (long)local.Minute,
            "getSeconds" => (long)local.Second,
            "getMilliseconds" => (long)local.Millisecond,
            _ => null,
        };
    }

    private static TimeSpan? ZoneOffset(string zone, DateTimeOffset at)
    {
        if (TimeSpan.TryParseExact(zone.TrimStart('+', '-'), @"hh\:mm", CultureInfo.InvariantCulture, out var offset))
        {
            return zone.StartsWith('-') ? -offset : offset;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(zone).GetUtcOffset(at);
        }
        catch (TimeZoneNotFoundException)
        {
            return null;
        }
    }

    internal static object? DurationAccessor(string function, TimeSpan d) => function switch
    {
        "getHours" => (long)d.TotalHours,
        "getMinutes" => (long)d.TotalMinutes,
        "getSeconds" => (long)d.TotalSeconds,
        "getMilliseconds" => (long)d.TotalMilliseconds,
        _ => null,
    };
}
