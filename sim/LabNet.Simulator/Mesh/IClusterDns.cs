using System.Net;

namespace LabNet.Simulator.Mesh;

/// <summary>
/// kube-dns of a simulated cluster: what a pod's resolver gets for a name, with the pod's search path
/// (<c>&lt;ns&gt;.svc.cluster.local svc.cluster.local cluster.local</c>, ndots 5) applied. Services resolve to their
/// ClusterIP, headless Services to their ready pods' IPs. Used by curl and by nslookup inside pods. Thread-safe.
/// </summary>
public interface IClusterDns
{
    DnsAnswer Resolve(string cluster, string clientNamespace, string name);
}

/// <summary>The answer for one name.</summary>
/// <param name="Name">The name as asked.</param>
/// <param name="CanonicalName">The fully qualified name that matched (e.g. <c>httpbin.demo.svc.cluster.local</c>), null for NXDOMAIN.</param>
/// <param name="Addresses">The A records; empty for NXDOMAIN.</param>
/// <param name="Server">kube-dns's ClusterIP (what <c>/etc/resolv.conf</c> names), null when the cluster has no kube-dns Service.</param>
public sealed record DnsAnswer(string Name, string? CanonicalName, IReadOnlyList<IPAddress> Addresses, IPAddress? Server)
{
    public bool Found => CanonicalName is not null && Addresses.Count > 0;
}
