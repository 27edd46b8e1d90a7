using LabNet.Simulator.Cilium.Policy;

namespace LabNet.Simulator.Cilium.Engine;

/// <summary>
/// The verdict of one side (the source's egress or the destination's ingress) for a new connection: what Hubble's
/// policy-verdict and drop events for that side carry.
/// </summary>
/// <param name="Direction">EGRESS for the source's policy, INGRESS for the destination's.</param>
/// <param name="Allowed">Whether this side lets the connection through.</param>
/// <param name="Enforced">Whether the endpoint is default-deny in this direction (some selecting rule has it).</param>
/// <param name="DropReason">POLICY_DENIED (133) for default deny, POLICY_DENY (181) for an explicit deny rule.</param>
/// <param name="MatchType">The kind of entry that decided (Hubble's policy_match_type); None when nothing matched.</param>
/// <param name="Policies">Who allowed (<c>*_allowed_by</c>) or denied (<c>*_denied_by</c>); empty for default deny.</param>
/// <param name="Proxy">Set when an L7 rule covers this port: Cilium's proxy is in the path and enforces this.</param>
public sealed record PolicyDecision(
    TrafficDirection Direction,
    bool Allowed,
    bool Enforced,
    DropReason DropReason,
    PolicyMatchType MatchType,
    IReadOnlyList<PolicyReference> Policies,
    L7Policy? Proxy)
{
    /// <summary>
    /// The verdict of this side's policy-verdict event: DROPPED, REDIRECTED when the L7 proxy takes the connection,
    /// FORWARDED otherwise.
    /// </summary>
    public FlowVerdict PolicyVerdict => !Allowed ? FlowVerdict.Dropped : Proxy is not null ? FlowVerdict.Redirected : FlowVerdict.Forwarded;

    internal static readonly PolicyDecision UnenforcedIngress = new(TrafficDirection.Ingress, true, false, DropReason.DropReasonUnknown, PolicyMatchType.None, [], null);
    internal static readonly PolicyDecision UnenforcedEgress = new(TrafficDirection.Egress, true, false, DropReason.DropReasonUnknown, PolicyMatchType.None, [], null);
    internal static readonly PolicyDecision LocalHostIngress = new(TrafficDirection.Ingress, true, true, DropReason.DropReasonUnknown, PolicyMatchType.L3Only, [], null);

    public static PolicyDecision Unenforced(TrafficDirection direction) =>
        direction == TrafficDirection.Ingress ? UnenforcedIngress : UnenforcedEgress;
}
