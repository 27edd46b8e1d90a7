using System.Net;

namespace LabNet.Simulator.Cilium.Identity;

/// <summary>One end of a connection, as Cilium sees it: a pod, or something that is not a pod.</summary>
public abstract record PolicyEndpoint
{
    public abstract IPAddress? Address { get; }
}

/// <summary>
/// A Kubernetes pod. Its identity is derived from its labels, its namespace (and the namespace's labels), its service
/// account and the cluster name, as Cilium does.
/// </summary>
public sealed record PodEndpoint(
    string Namespace,
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    IPAddress? PodIp = null,
    string ServiceAccount = "default",
    IReadOnlyDictionary<string, string>? NamespaceLabels = null,
    string? NodeName = null) : PolicyEndpoint
{
    public override IPAddress? Address => PodIp;
}

/// <summary>
/// An address outside the cluster. Its identity is <c>world</c>, or the CIDR identity of the longest policy prefix
/// holding it, or, once Cilium's DNS proxy has seen it returned for a name a <c>toFQDNs</c> selector matches, an FQDN
/// identity. <paramref name="DnsNames"/> are those names: pass them only for answers that went through the DNS proxy
/// (an egress rule with <c>rules.dns</c> to the DNS server), as only those teach Cilium the address.
/// </summary>
public sealed record WorldEndpoint(IPAddress WorldIp, IReadOnlyList<string>? DnsNames = null) : PolicyEndpoint
{
    public override IPAddress? Address => WorldIp;
}

/// <summary>A node, the kube-apiserver, the health endpoint, ...: an endpoint with a reserved identity.</summary>
public sealed record ReservedEndpoint(ReservedEntity Entity, IPAddress? EntityIp = null, string? NodeName = null) : PolicyEndpoint
{
    public override IPAddress? Address => EntityIp;
}
