using LabNet.Simulator.Cilium.Labels;

namespace LabNet.Simulator.Cilium.Policy;

/// <summary>
/// One rule (a <c>spec</c> or one of <c>specs</c>), with selectors already scoped the way Cilium scopes them, and the
/// default-deny decision already made (Rule.Sanitize: a direction is default-deny when the rule has allow or deny
/// entries for it, unless <c>enableDefaultDeny</c> says otherwise).
/// </summary>
public sealed record PolicyRule(
    EndpointSelector Subject,
    IReadOnlyList<PeerRule> Ingress,
    IReadOnlyList<PeerRule> IngressDeny,
    IReadOnlyList<PeerRule> Egress,
    IReadOnlyList<PeerRule> EgressDeny,
    bool DefaultDenyIngress,
    bool DefaultDenyEgress,
    PolicyReference Origin);
