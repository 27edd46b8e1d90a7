using LabNet.Simulator.Cilium.Identity;
using LabNet.Simulator.Cilium.Policy;

namespace LabNet.Simulator.Cilium.Engine;

/// <summary>
/// The policy verdict for a new connection: the source's egress decision and, if egress let it through, the
/// destination's ingress decision. Both must allow. Replies of a forwarded connection are not checked again (conntrack),
/// so a forwarded verdict covers both directions of the connection.
/// </summary>
public sealed record ConnectionVerdict(
    SecurityIdentity Source,
    SecurityIdentity Destination,
    IpProtocol Protocol,
    int DestinationPort,
    PolicyDecision Egress,
    PolicyDecision? Ingress,
    ulong PolicyRevision)
{
    public FlowVerdict Verdict => Egress.Allowed && Ingress is { Allowed: true } ? FlowVerdict.Forwarded : FlowVerdict.Dropped;

    public bool IsForwarded => Verdict == FlowVerdict.Forwarded;

    /// <summary>The side that dropped the connection (null when forwarded).</summary>
    public PolicyDecision? DroppedBy => !Egress.Allowed ? Egress : Ingress is { Allowed: false } ? Ingress : null;

    /// <summary>The observation point Hubble reports: for a drop, the side that dropped; otherwise the ingress side.</summary>
    public TrafficDirection Direction => DroppedBy?.Direction ?? TrafficDirection.Ingress;

    /// <summary>POLICY_DENIED (133), POLICY_DENY (181), or DROP_REASON_UNKNOWN when forwarded.</summary>
    public DropReason DropReason => DroppedBy?.DropReason ?? DropReason.DropReasonUnknown;

    public IReadOnlyList<PolicyReference> EgressAllowedBy => Egress.Allowed ? Egress.Policies : [];

    public IReadOnlyList<PolicyReference> EgressDeniedBy => Egress.Allowed ? [] : Egress.Policies;

    public IReadOnlyList<PolicyReference> IngressAllowedBy => Ingress is { Allowed: true } ? Ingress.Policies : [];

    public IReadOnlyList<PolicyReference> IngressDeniedBy => Ingress is { Allowed: false } ? Ingress.Policies : [];

    /// <summary>Whether Cilium's L7 proxy sits in the path (an L7 rule covers this port on either side).</summary>
    public bool L7ProxyInPath => IsForwarded && (Egress.Proxy is not null || Ingress?.Proxy is not null);

    /// <summary>
    /// The proxy's verdict on one HTTP request of this connection: the source's egress proxy decides first, then the
    /// destination's ingress proxy. A denied request is answered by the proxy with 403 "Access denied"; the connection
    /// itself stays forwarded at L4.
    /// </summary>
    public HttpVerdict EvaluateHttp(HttpRequestInfo request)
    {
        if (!IsForwarded)
        {
            throw new InvalidOperationException($"The connection was dropped at {Direction} ({DropReason}); no HTTP request reaches the proxy or the server.");
        }

        foreach (var side in (ReadOnlySpan<PolicyDecision?>)[Egress, Ingress])
        {
            if (side?.Proxy is { } proxy && !proxy.AllowsHttp(request))
            {
                return HttpVerdict.Denied(side.Direction, proxy);
            }
        }

        var observedAt = Egress.Proxy is not null ? TrafficDirection.Egress : Ingress?.Proxy is not null ? TrafficDirection.Ingress : TrafficDirection.TrafficDirectionUnknown;
        return HttpVerdict.Forwarded(observedAt);
    }
}
