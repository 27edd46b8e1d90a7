using Microsoft.Extensions.Configuration;

namespace LabNet.AppHost;

/// <summary>What must hold before the AppHost builds anything: known settings, a lab spec, and in real mode the Mac's tools.</summary>
internal static class StartupChecks
{
    /// <summary>Writes every problem to <paramref name="errors"/> and returns false when the AppHost must not start.</summary>
    public static bool Pass(IConfiguration configuration, string repositoryRoot, TextWriter errors, out LabMode mode, out LabScenario scenario)
    {
        scenario = default;
        if (!LabModeSetting.TryRead(configuration, out mode, out var modeError))
        {
            errors.WriteLine(modeError);
            return false;
        }

        if (!LabScenarioSetting.TryRead(configuration, out scenario, out var scenarioError))
        {
            errors.WriteLine(scenarioError);
            return false;
        }

        if (!RelayPortsSetting.TryRead(configuration, out _, out var relayPortsError))
        {
            errors.WriteLine(relayPortsError);
            return false;
        }

        var spec = LabSpecSetting.Path(configuration, repositoryRoot);
        if (!File.Exists(spec))
        {
            errors.WriteLine(
                $"LabNet cannot start: the lab spec '{spec}' does not exist. Point the setting '{LabSpecSetting.Key}' at a lab spec " +
                "(a path relative to the repository, e.g. config/clusters.json), or leave it unset for the original lab's config/clusters.json.");
            return false;
        }

        if (mode is LabMode.Real && scenario is LabScenario.BadCanary or LabScenario.SlowCanary)
        {
            errors.WriteLine(
                $"LabNet cannot start: the setting '{LabScenarioSetting.Key}' is '{scenario}', which breaks the simulator's httpbin v2 and exists only in simulation. " +
                $"In real mode use Default or None, or run the {(scenario is LabScenario.BadCanary ? "bad" : "slow")} canary in simulation ({LabModeSetting.Key}=Simulation).");
            return false;
        }

        if (mode is LabMode.Real && RealModePreflight.FindProblems(configuration, RealModePreflight.ResolveExecutable) is { Count: > 0 } missing)
        {
            errors.WriteLine($"LabNet cannot start in real mode: {missing.Count} thing(s) missing on this machine.");
            foreach (var problem in missing)
            {
                errors.WriteLine($"  - {problem}");
            }

            errors.WriteLine("Real mode drives Tart VMs on an Apple-silicon Mac; without a Mac, run the default simulation (LabNet:Mode=Simulation).");
            return false;
        }

        return true;
    }
}
