namespace LabNet.Provisioner.Spec;

/// <summary>The lab as <c>config/clusters.json</c> declares it (the original lab's schema, accepted unchanged).</summary>
public sealed record LabSpec(string BaseImage, string SshUser, SshPassword? SshPassword, IReadOnlyList<ClusterSpec> Clusters)
{
    public IEnumerable<(ClusterSpec Cluster, NodeSpec Node)> AllNodes =>
        Clusters.SelectMany(cluster => cluster.Nodes.Select(node => (cluster, node)));
}

/// <summary>One kubeadm cluster: its networks and its VMs.</summary>
public sealed record ClusterSpec(string Name, string PodCidr, string ServiceCidr, IReadOnlyList<NodeSpec> Nodes)
{
    public NodeSpec Master => Nodes.Single(node => node.Role == NodeRole.Master);

    public IEnumerable<NodeSpec> Workers => Nodes.Where(node => node.Role == NodeRole.Worker);
}

/// <summary>One VM: <paramref name="MemoryMb"/> in MB and <paramref name="DiskGb"/> in GB, as the schema's <c>memory</c> and <c>disk</c>.</summary>
public sealed record NodeSpec(string Name, NodeRole Role, int Cpu, int MemoryMb, int DiskGb);

public enum NodeRole
{
    Master,
    Worker,
}
