namespace LabNet.FlowCollector.Decoding;

/// <summary>
/// Parses protojson timestamps (RFC 3339: <c>2021-10-04T14:28:38.735173594Z</c>, 0-9 fractional digits, <c>Z</c> or
/// an offset) straight from UTF-8 into Unix nanoseconds, keeping Hubble's nanosecond precision.
/// </summary>
public static class Rfc3339
{
    public static bool TryParseUnixNanos(ReadOnlySpan<byte> s, out long unixNanos)
    {
        unixNanos = 0;
        if (s.Length < 20 || s[4] != '-' || s[7] != '-' || (s[10] | 0x20) != 't' || s[13] != ':' || s[16] != ':')
        {
            return false;
        }

        if (!Digits(s, 0, 4, out var year) || !Digits(s, 5, 2, out var month) || !Digits(s, 8, 2, out var day)
            || !Digits(s, 11, 2, out var hour) || !Digits(s, 14, 2, out var minute) || !Digits(s, 17, 2, out var second))
        {
            return false;
        }

        var i = 19;
        long fraction = 0;
        if (s[i] == '.')
        {
            i++;
            var digits = 0;
            while (i < s.Length && (uint)(s[i] - '0') <= 9)
            {
                if (digits < 9)
                {
                    fraction = fraction * 10 + (s[i] - '0');
                    digits++;
                }

                i++;
            }

            if (digits == 0)
            {
                return false;
            }

            for (; digits < 9; digits++)
            {
                fraction *= 10;
            }
        }

        if (i >= s.Length)
        {
            return false;
        }

        long offsetSeconds = 0;
        if ((s[i] | 0x20) == 'z' && i == s.Length - 1)
        {
            // UTC
        }
        else if ((s[i] == '+' || s[i] == '-') && i + 6 == s.Length && s[i + 3] == ':'
                 && Digits(s, i + 1, 2, out var offsetHours) && Digits(s, i + 4, 2, out var offsetMinutes))
        {
            offsetSeconds = (offsetHours * 3600L + offsetMinutes * 60L) * (s[i] == '+' ? 1 : -1);
        }
        else
        {
            return false;
        }

        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(Math.Max(1, year), month) || hour > 23
            || minute > 59 || second > 60 || year < 1)
        {
            return false;
        }

        // Leap seconds (60) are folded into the next second, as Go's time.Parse does not accept them either.
        var days = new DateOnly(year, month, day).DayNumber - DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;
        var seconds = days * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
        unixNanos = seconds * 1_000_000_000L + fraction;
        return true;
    }

    public static string Format(long unixNanos)
    {
        var seconds = Math.DivRem(unixNanos, 1_000_000_000L, out var nanos);
        if (nanos < 0)
        {
            seconds--;
            nanos += 1_000_000_000L;
        }

        var time = DateTime.UnixEpoch.AddSeconds(seconds);
        var head = time.ToString("yyyy-MM-dd'T'HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);

        // protojson prints 0, 3, 6 or 9 fractional digits.
        return nanos == 0 ? head + "Z"
            : nanos % 1_000_000 == 0 ? $"{head}.{nanos / 1_000_000:D3}Z"
            : nanos % 1_000 == 0 ? $"{head}.{nanos / 1_000:D6}Z"
            : $"{head}.{nanos:D9}Z";
    }

    private static bool Digits(ReadOnlySpan<byte> s, int start, int count, out int value)
    {
        value = 0;
        for (var i = start; i < start + count; i++)
        {
            var d = s[i] - '0';
            if ((uint)d > 9)
            {
                return false;
            }

            value = value * 10 + d;
        }

        return true;
    }
}
