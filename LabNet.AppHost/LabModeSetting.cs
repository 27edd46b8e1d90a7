using Microsoft.Extensions.Configuration;

namespace LabNet.AppHost;

/// <summary>Reads <c>LabNet:Mode</c>, the one setting that picks simulation or the real lab.</summary>
public static class LabModeSetting
{
    public const string Key = "LabNet:Mode";

    public static bool TryRead(IConfiguration configuration, out LabMode mode, out string error)
    {
        var value = configuration[Key];
        error = "";

        if (string.IsNullOrWhiteSpace(value))
        {
            mode = LabMode.Simulation;
            return true;
        }

        // Enum.TryParse would also accept "1" or "Simulation,Real": only the names are valid.
        foreach (var candidate in Enum.GetValues<LabMode>())
        {
            if (string.Equals(value.Trim(), candidate.ToString(), StringComparison.OrdinalIgnoreCase))
            {
                mode = candidate;
                return true;
            }
        }

        mode = default;
        error =
            $"LabNet cannot start: the setting '{Key}' is '{value}', which is not a mode. " +
            $"Allowed values: {string.Join(", ", Enum.GetNames<LabMode>())} (Simulation is the default). " +
            $"Fix it in LabNet.AppHost/appsettings.json, or pass --{Key}=Simulation, or set the environment variable LabNet__Mode.";
        return false;
    }
}
