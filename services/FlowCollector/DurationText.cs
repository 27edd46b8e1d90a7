using System.Globalization;

namespace LabNet.FlowCollector;

/// <summary>Durations as people type them in query strings and to hubble: a positive number with s, m or h (30s, 1.5m, 2h).</summary>
public static class DurationText
{
    public static bool TryParse(string text, out TimeSpan duration)
    {
        duration = default;
        if (text.Length < 2)
        {
            return false;
        }

        var unit = text[^1] switch { 's' => 1, 'm' => 60, 'h' => 3600, _ => 0 };
        if (unit == 0
            || !double.TryParse(text.AsSpan(0, text.Length - 1), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)
            || value <= 0 || value * unit > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(value * unit);
        return true;
    }
}
