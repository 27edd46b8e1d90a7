using Microsoft.Extensions.Configuration;

namespace LabNet.AppHost;

/// <summary>A setting whose value must be one of an enum's names (case-insensitive); numbers and combinations are refused.</summary>
internal static class EnumSetting
{
    public static bool TryRead<T>(IConfiguration configuration, string key, T fallback, out T value, out string error)
        where T : struct, Enum
    {
        var text = configuration[key];
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            value = fallback;
            return true;
        }

        foreach (var candidate in Enum.GetValues<T>())
        {
            if (string.Equals(text.Trim(), candidate.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                value = candidate;
                return true;
            }
        }

        value = default;
        error =
            $"LabNet cannot start: the setting '{key}' is '{text}', which is not one of its values. " +
            $"Allowed values: {string.Join(", ", Enum.GetNames<T>())} ({fallback} is the default). " +
            $"Fix it in LabNet.AppHost/appsettings.json, or pass --{key}={fallback}, or set the environment variable {key.Replace(":", "__")}.";
        return false;
    }
}
