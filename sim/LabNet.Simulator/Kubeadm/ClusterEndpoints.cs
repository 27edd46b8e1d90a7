using System.Text.RegularExpressions;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Kubeadm;

/// <summary>
/// Finds the cluster a kubeconfig's server URL reaches: the simulator's own URL for the cluster, or (as the real
/// admin.conf has it) https://&lt;control-plane IP&gt;:6443.
/// </summary>
public sealed partial class ClusterEndpoints(ClusterApiRegistryAccessor registry, KubeadmClusters clusters)
{
    /// <summary>The cluster's API and kubeadm record, or null with the error a Kubernetes client reports.</summary>
    public (IClusterApi? Api, KubeadmCluster? Cluster, string? Error) Resolve(string server)
    {
        var normalized = server.TrimEnd('/');
        var api = registry.Registry.Clusters.FirstOrDefault(c => c.Server.ToString().TrimEnd('/') == normalized);
        KubeadmCluster? cluster;
        if (api is not null)
        {
            cluster = clusters.Find(api.Bootstrap.Name);
        }
        else
        {
            var address = HostOf().Match(normalized) is { Success: true } m ? m.Groups[1].Value : null;
            cluster = address is null ? null : clusters.ByServingAddress(address) ?? clusters.All.FirstOrDefault(c => c.Bootstrap.AdvertiseAddress == address);
            api = cluster?.Api;
        }

        if (api is null)
        {
            var hostPort = normalized.Split("://").Last().Split('/')[0];
            return (null, null, $"Get \"{normalized}/version\": dial tcp {hostPort}: i/o timeout");
        }

        if (!api.Availability.Serving)
        {
            return (null, null, $"Get \"{normalized}/version\": {api.Availability.Reason}");
        }

        return (api, cluster, null);
    }

    [GeneratedRegex(@"^https?://([0-9.]+)(?::\d+)?")]
    private static partial Regex HostOf();
}
