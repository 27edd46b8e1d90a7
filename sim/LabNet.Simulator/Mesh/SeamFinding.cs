namespace LabNet.Simulator.Mesh;

/// <summary>
/// The Cilium/Istio seam on one hop: sidecars encrypt it with Istio mTLS while a Cilium L7 HTTP rule puts Cilium's proxy
/// on the same port, which cannot parse HTTP inside TLS; every request on the hop fails and Hubble has no HTTP fields.
/// </summary>
/// <param name="Id">Stable key: cluster, server Service and port, and the policies.</param>
/// <param name="CiliumPolicies">The CiliumNetworkPolicies (<c>ns/name</c>) whose L7 rules cover the port, with the side (egress/ingress).</param>
/// <param name="Port">The workload's container port (the Service port is <paramref name="ServicePort"/>).</param>
/// <param name="PeerAuthentication">The PeerAuthentication that decides the server's mode on the port (<c>ns/name</c>), null when the mesh default (PERMISSIVE) applies.</param>
/// <param name="ServerMtlsMode">STRICT or PERMISSIVE: the server sidecar accepts mTLS either way.</param>
/// <param name="DestinationRule">The client's DestinationRule for the host (<c>ns/name</c>), null when none: auto mTLS.</param>
/// <param name="ClientTls">What makes the client sidecar send mTLS: <c>auto</c> or the DestinationRule's <c>ISTIO_MUTUAL</c>.</param>
/// <param name="Clients">The client workloads (<c>ns/workload</c>) with sidecars that hit the seam.</param>
public sealed record SeamFinding(
    string Id,
    string Cluster,
    string Service,
    int ServicePort,
    int Port,
    IReadOnlyList<string> CiliumPolicies,
    string? PeerAuthentication,
    string ServerMtlsMode,
    string? DestinationRule,
    string ClientTls,
    IReadOnlyList<string> Clients,
    string Message,
    string Fix);
