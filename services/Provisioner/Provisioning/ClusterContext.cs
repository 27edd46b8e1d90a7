using System.Collections.Concurrent;
using LabNet.Provisioner.Guest;
using LabNet.Provisioner.Kubeadm;
using LabNet.Provisioner.Spec;

namespace LabNet.Provisioner.Provisioning;

/// <summary>
/// What the steps of one cluster share while they run: the spec, the tools, and the facts they discover on the way
/// (VM addresses, the join command). Facts are re-discovered on every apply, never trusted from a previous one.
/// </summary>
public sealed class ClusterContext(LabSpec lab, ClusterSpec cluster, SshPassword sshPassword, ProvisioningTools tools)
{
    private readonly ConcurrentDictionary<string, string> _addresses = new(StringComparer.Ordinal);

    public LabSpec Lab { get; } = lab;

    public ClusterSpec Cluster { get; } = cluster;

    public ProvisioningTools Tools { get; } = tools;

    public JoinCommand? Join { get; set; }

    public IReadOnlyDictionary<string, string> Addresses => _addresses;

    public void RecordAddress(string node, string address) => _addresses[node] = address;

    public string AddressOf(string node) =>
        _addresses.TryGetValue(node, out var address)
            ? address
            : throw new PermanentStepException($"The address of VM {node} is not known yet: its VM phase has not run.");

    public SshTarget SshTo(string node) => new(node, AddressOf(node), Lab.SshUser, sshPassword);

    public string KubeconfigPath => Tools.Kubeconfigs.PathFor(Cluster.Name);
}
