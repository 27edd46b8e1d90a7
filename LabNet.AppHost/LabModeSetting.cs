using Microsoft.Extensions.Configuration;

namespace LabNet.AppHost;

/// <summary>Reads <c>LabNet:Mode</c>, the one setting that picks simulation or the real lab.</summary>
public static class LabModeSetting
{
    public const string Key = "LabNet:Mode";

    public static bool TryRead(IConfiguration configuration, out LabMode mode, out string error) =>
        EnumSetting.TryRead(configuration, Key, LabMode.Simulation, out mode, out error);
}
