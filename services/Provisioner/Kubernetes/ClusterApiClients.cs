using k8s;
using k8s.Models;

namespace LabNet.Provisioner.Kubernetes;

/// <summary>Talks to a cluster's Kubernetes API through the kubeconfig the Provisioner wrote for it.</summary>
public sealed class ClusterApiClients(KubeconfigStore kubeconfigs)
{
    public k8s.Kubernetes For(string cluster)
    {
        var configuration = KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigs.PathFor(cluster));
        return new k8s.Kubernetes(configuration);
    }

    /// <summary>Every node with whether its <c>Ready</c> condition is <c>True</c> (selected by type, never by position).</summary>
    public async Task<IReadOnlyList<NodeReadiness>> NodesAsync(string cluster, CancellationToken cancellationToken)
    {
        using var client = For(cluster);
        var nodes = await client.CoreV1.ListNodeAsync(cancellationToken: cancellationToken);
        return nodes.Items.Select(NodeReadiness.From).ToList();
    }
}

public sealed record NodeReadiness(string Name, bool Ready, string? Reason, string? InternalIp)
{
    public static NodeReadiness From(V1Node node)
    {
        var ready = node.Status?.Conditions?.FirstOrDefault(c => c.Type == "Ready");
        var internalIp = node.Status?.Addresses?.FirstOrDefault(a => a.Type == "InternalIP")?.Address;
        return new NodeReadiness(node.Metadata.Name, ready?.Status == "True", ready?.Message ?? ready?.Reason, internalIp);
    }
}
