namespace LabNet.Simulator.Host;

/// <summary>How <c>tart run</c> attached a VM to the host's networks.</summary>
public enum NetworkMode
{
    /// <summary>Virtualization.framework's shared NAT; members are isolated from each other on macOS 13+.</summary>
    Nat,

    /// <summary>Tart's Softnet; vmnet isolation stays on unless the allow list holds exactly 0.0.0.0/0.</summary>
    Softnet,
}

/// <param name="Mode">The network.</param>
/// <param name="AllowedCidrs">The <c>--net-softnet-allow</c> list.</param>
public sealed record NetworkAttachment(NetworkMode Mode, IReadOnlyList<string> AllowedCidrs)
{
    public static readonly NetworkAttachment Nat = new(NetworkMode.Nat, []);

    /// <summary>Softnet turns vmnet isolation off only when the allow list contains 0.0.0.0/0 (softnet's host.rs).</summary>
    public bool SharesSegment => Mode is NetworkMode.Softnet && AllowedCidrs.Contains("0.0.0.0/0");
}
