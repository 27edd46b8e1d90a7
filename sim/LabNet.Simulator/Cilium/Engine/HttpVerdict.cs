namespace LabNet.Simulator.Cilium.Engine;

/// <summary>
/// Cilium's L7 proxy verdict on one HTTP request. Denied requests get Envoy's local reply: <c>403 Forbidden</c>, body
/// <c>Access denied</c> (content-length 15, content-type text/plain, server envoy); Hubble shows an L7 REQUEST flow
/// with verdict DROPPED and no drop reason.
/// </summary>
/// <param name="Verdict">FORWARDED or DROPPED, as the L7 flow shows it.</param>
/// <param name="Direction">The proxy that decided (EGRESS on the client's side, INGRESS on the server's); unknown when no proxy is in the path.</param>
/// <param name="ProxyInPath">Whether the request went through Cilium's proxy at all (only then Hubble has L7 flows).</param>
/// <param name="DeniedBy">The proxy policy that refused the request.</param>
public sealed record HttpVerdict(FlowVerdict Verdict, TrafficDirection Direction, bool ProxyInPath, L7Policy? DeniedBy)
{
    public const int AccessDeniedStatusCode = 403;
    public const string AccessDeniedBody = "Access denied";

    public bool IsAllowed => Verdict == FlowVerdict.Forwarded;

    /// <summary>The status the client gets from the proxy when denied (the server's own status otherwise).</summary>
    public int? ProxyStatusCode => IsAllowed ? null : AccessDeniedStatusCode;

    internal static HttpVerdict Forwarded(TrafficDirection observedAt) =>
        new(FlowVerdict.Forwarded, observedAt, observedAt != TrafficDirection.TrafficDirectionUnknown, null);

    internal static HttpVerdict Denied(TrafficDirection direction, L7Policy policy) => new(FlowVerdict.Dropped, direction, true, policy);
}
