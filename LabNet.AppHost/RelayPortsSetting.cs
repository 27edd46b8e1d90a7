using Microsoft.Extensions.Configuration;

namespace LabNet.AppHost;

/// <summary>Where the simulator's hubble-relays listen: the fixed ports a person types, or free ones.</summary>
public enum RelayPorts
{
    /// <summary>From 14245 in clusters.json order, for <c>hubble observe --server localhost:14246</c>.</summary>
    Fixed,

    /// <summary>Any free loopback port, so that several simulated labs (test hosts) can run on one machine.</summary>
    Free,
}

/// <summary>Reads <c>LabNet:Simulation:RelayPorts</c>: Fixed when unset; anything else stops the AppHost.</summary>
public static class RelayPortsSetting
{
    public const string Key = "LabNet:Simulation:RelayPorts";

    public static bool TryRead(IConfiguration configuration, out RelayPorts ports, out string error) =>
        EnumSetting.TryRead(configuration, Key, RelayPorts.Fixed, out ports, out error);
}
