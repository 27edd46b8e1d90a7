namespace LabNet.Provisioner.Provisioning;

/// <summary>Names one step of one cluster: <c>dev/dev-worker1/vm.clone</c>, or <c>dev/kubeadm.init</c> for cluster-wide steps.</summary>
public sealed record StepId(string Cluster, string? Node, string Name)
{
    public override string ToString() => Node is null ? $"{Cluster}/{Name}" : $"{Cluster}/{Node}/{Name}";
}
