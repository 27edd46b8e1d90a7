using System.Runtime.CompilerServices;
using LabNet.Simulator.Cilium;
using LabNet.Simulator.Hubble;
using LabNet.Simulator.Kubernetes;
using LabNet.Simulator.Workloads;

namespace LabNet.Simulator.Mesh;

/// <summary>
/// The data plane of every cluster: one <see cref="ClusterDataPlane"/> per cluster API, built on first use from the
/// cluster's Istio config, Cilium policy engine and Hubble, and the sidecars' shared outlier state.
/// </summary>
public sealed class MeshDataPlane(IstioConfigs istio, CiliumPolicyEngines policies, HubbleClusters hubble, IApplicationBehaviours behaviours, ClientSidecars sidecars)
{
    private readonly ConditionalWeakTable<IClusterApi, ClusterDataPlane> _planes = new();

    public ClientSidecars Sidecars { get; } = sidecars;

    /// <summary>The cluster's data plane (a cluster re-created under the same name gets a new one).</summary>
    public ClusterDataPlane For(IClusterApi api) =>
        _planes.GetValue(api, a =>
        {
            var name = a.Bootstrap.Name;
            return new ClusterDataPlane(name, () => istio.For(a), policies.GetOrCreate(name), hubble.GetOrCreate(name), behaviours, Sidecars);
        });
}
