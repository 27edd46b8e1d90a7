namespace LabNet.Simulator.Cilium.Policy;

/// <summary>
/// One entry of <c>ingress</c>, <c>egress</c>, <c>ingressDeny</c> or <c>egressDeny</c>.
/// </summary>
/// <param name="Peers">
/// The L3 part. <c>null</c> when no L3 field was given (the rule is L4-only: any peer); an empty list when the L3 fields
/// given select nothing (<c>fromEndpoints: []</c>, or the empty rule <c>{}</c>).
/// </param>
/// <param name="Ports">The L4 part; <c>null</c> when <c>toPorts</c> is absent (every port and protocol).</param>
/// <param name="Path">Where the rule is in its policy (<c>spec.ingress[0]</c>), for messages.</param>
public sealed record PeerRule(IReadOnlyList<PeerMatcher>? Peers, IReadOnlyList<PortRule>? Ports, string Path)
{
    /// <summary>The empty rule <c>{}</c> selects no peer, but it still counts as a rule of its direction.</summary>
    public bool SelectsNothing => Peers is null && Ports is null || Peers is { Count: 0 };
}

/// <summary>One <c>toPorts</c> entry: ports and, optionally, the L7 rules the proxy enforces on them.</summary>
public sealed record PortRule(IReadOnlyList<PortRange> Ports, L7Rules? Rules);
