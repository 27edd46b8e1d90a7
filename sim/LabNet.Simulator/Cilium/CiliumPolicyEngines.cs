using System.Collections.Concurrent;
using LabNet.Simulator.Cilium.Engine;

namespace LabNet.Simulator.Cilium;

/// <summary>
/// The policy engine of every simulated cluster that runs Cilium, by cluster name. Installing Cilium creates one
/// (its <c>cluster.name</c> becomes the engine's cluster name); the traffic generator and Hubble ask for it by name.
/// </summary>
public sealed class CiliumPolicyEngines
{
    private readonly ConcurrentDictionary<string, CiliumPolicyEngine> _engines = new(StringComparer.Ordinal);

    public IReadOnlyCollection<string> Clusters => _engines.Keys.ToArray();

    /// <summary>The cluster's engine, created on first use with Cilium's <c>cluster.name</c>.</summary>
    public CiliumPolicyEngine GetOrCreate(string clusterName, string? ciliumClusterName = null) =>
        _engines.GetOrAdd(clusterName, static (_, name) => new CiliumPolicyEngine(new CiliumPolicyEngineOptions { ClusterName = name }), ciliumClusterName ?? clusterName);

    public CiliumPolicyEngine? Find(string clusterName) => _engines.GetValueOrDefault(clusterName);

    /// <summary>Forgets a cluster (kubeadm reset, Cilium uninstalled).</summary>
    public bool Remove(string clusterName) => _engines.TryRemove(clusterName, out _);
}
