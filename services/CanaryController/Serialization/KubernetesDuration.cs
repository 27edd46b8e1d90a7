using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace LabNet.CanaryController.Serialization;

/// <summary>Durations as Kubernetes and Istio write them (Go's time.Duration text: "5s", "1m30s", "1.5h", "250ms").</summary>
public static partial class KubernetesDuration
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text) || !Whole().IsMatch(text))
        {
            return false;
        }

        var ticks = 0.0;
        foreach (Match part in Part().Matches(text))
        {
            var value = double.Parse(part.Groups["value"].Value, CultureInfo.InvariantCulture);
            ticks += value * part.Groups["unit"].Value switch
            {
                "ms" => TimeSpan.TicksPerMillisecond,
                "s" => TimeSpan.TicksPerSecond,
                "m" => TimeSpan.TicksPerMinute,
                _ => TimeSpan.TicksPerHour,
            };
        }

        duration = TimeSpan.FromTicks((long)Math.Round(ticks));
        return true;
    }

    public static TimeSpan Parse(string text, string field) =>
        TryParse(text, out var duration)
            ? duration
            : throw new FormatException($"{field}: '{text}' is not a duration; write it like 5s, 1m30s or 250ms.");

    /// <summary>The shortest text that parses back to the same duration.</summary>
    public static string Format(TimeSpan duration)
    {
        if (duration == TimeSpan.Zero)
        {
            return "0s";
        }

        var text = new StringBuilder();
        if (duration.Hours + (duration.Days * 24) is var hours and > 0)
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

        return text.ToString();
    }

    [GeneratedRegex(@"^([0-9]+(\.[0-9]+)?(ms|s|m|h))+$")]
    private static partial Regex Whole();

    [GeneratedRegex(@"(?<value>[0-9]+(\.[0-9]+)?)(?<unit>ms|s|m|h)")]
    private static partial Regex Part();
}
