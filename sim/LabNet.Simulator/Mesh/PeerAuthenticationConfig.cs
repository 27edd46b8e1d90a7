namespace LabNet.Simulator.Mesh;

/// <summary>
/// A PeerAuthentication: mesh-wide (in the root namespace, no selector), namespace-wide (no selector) or for the
/// workloads its selector matches; <c>portLevelMtls</c> is keyed by the workload's container port.
/// </summary>
public sealed record PeerAuthenticationConfig(
    string Namespace,
    string Name,
    IReadOnlyDictionary<string, string>? Selector,
    MtlsMode Mode,
    IReadOnlyDictionary<int, MtlsMode> PortLevelMtls,
    DateTimeOffset Created)
{
    public string Reference => $"{Namespace}/{Name}";
}

/// <summary>PeerAuthentication <c>mtls.mode</c>; Unset inherits from the wider policy (PERMISSIVE at the top).</summary>
public enum MtlsMode
{
    Unset,
    Disable,
    Permissive,
    Strict,
}
