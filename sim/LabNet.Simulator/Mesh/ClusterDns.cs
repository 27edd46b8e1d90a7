using System.Net;
using System.Text.Json.Nodes;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Mesh;

/// <summary>
/// CoreDNS's kubernetes plugin as a pod's resolver uses it: the search path <c>&lt;ns&gt;.svc.cluster.local
/// svc.cluster.local cluster.local</c> with ndots 5 (fewer dots than 5: the search path first, then the name as is),
/// Services to their ClusterIP, headless Services to their ready pods' IPs, and <c>a-b-c-d.&lt;ns&gt;.pod.cluster.local</c>
/// to <c>a.b.c.d</c>. Reads the cluster API on each lookup; thread-safe.
/// </summary>
public sealed class ClusterDns(IClusterApiRegistry registry) : IClusterDns
{
    private const string Domain = "cluster.local";

    public DnsAnswer Resolve(string cluster, string clientNamespace, string name)
    {
        var api = registry.Find(cluster);
        var server = api is null ? null : ClusterIpOf(api.Get("v1", "Service", "kube-system", "kube-dns"));
        if (api is null || string.IsNullOrWhiteSpace(name))
        {
            return new DnsAnswer(name, null, [], server);
        }

        var absolute = name.EndsWith('.');
        var bare = name.TrimEnd('.').ToLowerInvariant();
        var candidates = new List<string>(4);
        if (!absolute && bare.Count(c => c == '.') < 5)
        {
            candidates.Add($"{bare}.{clientNamespace}.svc.{Domain}");
            candidates.Add($"{bare}.svc.{Domain}");
            candidates.Add($"{bare}.{Domain}");
        }

        candidates.Add(bare);
        foreach (var candidate in candidates)
        {
            var addresses = Lookup(api, candidate);
            if (addresses.Count > 0)
            {
                return new DnsAnswer(name, candidate, addresses, server);
            }
        }

        return new DnsAnswer(name, null, [], server);
    }

    private static IReadOnlyList<IPAddress> Lookup(IClusterApi api, string fqdn)
    {
        if (!fqdn.EndsWith("." + Domain, StringComparison.Ordinal))
        {
            return [];
        }

        var labels = fqdn[..^(Domain.Length + 1)].Split('.');
        if (labels.Length == 3 && labels[2] == "svc")
        {
            var service = api.Get("v1", "Service", labels[1], labels[0]);
            if (service is null)
            {
                return [];
            }

            if (ClusterIpOf(service) is { } clusterIp)
            {
                return [clusterIp];
            }

            // Headless: the ready endpoints' addresses.
            var endpoints = api.Get("v1", "Endpoints", labels[1], labels[0]);
            return (endpoints?["subsets"] as JsonArray ?? [])
                .SelectMany(s => s?["addresses"] as JsonArray ?? [])
                .Select(a => a?["ip"]?.GetValue<string>())
                .Where(ip => ip is not null && IPAddress.TryParse(ip, out _))
                .Select(ip => IPAddress.Parse(ip!))
                .ToArray();
        }

        if (labels.Length == 3 && labels[2] == "pod" && IPAddress.TryParse(labels[0].Replace('-', '.'), out var podIp))
        {
            return [podIp];
        }

        return [];
    }

    private static IPAddress? ClusterIpOf(JsonObject? service) =>
        service?["spec"]?["clusterIP"]?.GetValue<string>() is { } text && text != "None" && IPAddress.TryParse(text, out var ip) ? ip : null;
}
