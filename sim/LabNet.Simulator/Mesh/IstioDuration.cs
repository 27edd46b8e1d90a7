using System.Globalization;
using System.Text.RegularExpressions;

namespace LabNet.Simulator.Mesh;

/// <summary>Istio's duration fields: Go-style <c>30s</c>, <c>1m</c>, <c>1.5s</c>, <c>100ms</c>, <c>1h</c>.</summary>
public static partial class IstioDuration
{
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var total = 0.0;
        var rest = text.Trim();
        while (rest.Length > 0)
        {
            var m = Part().Match(rest);
            if (!m.Success)
            {
                return false;
            }

            var value = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            total += m.Groups[2].Value switch
            {
                "h" => value * 3_600_000,
                "m" => value * 60_000,
                "s" => value * 1000,
                "ms" => value,
                "us" or "µs" => value / 1000,
                _ => value / 1_000_000,
            };
            rest = rest[m.Length..];
        }

        duration = TimeSpan.FromMilliseconds(total);
        return true;
    }

    [GeneratedRegex(@"^(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)")]
    private static partial Regex Part();
}
