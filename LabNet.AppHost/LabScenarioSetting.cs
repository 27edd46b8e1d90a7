using Microsoft.Extensions.Configuration;

namespace LabNet.AppHost;

/// <summary>Reads <c>LabNet:Scenario</c>: Default when unset; anything but a scenario name stops the AppHost.</summary>
public static class LabScenarioSetting
{
    public const string Key = "LabNet:Scenario";

    public static bool TryRead(IConfiguration configuration, out LabScenario scenario, out string error) =>
        EnumSetting.TryRead(configuration, Key, LabScenario.Default, out scenario, out error);
}
