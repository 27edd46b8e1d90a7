using System.Runtime.CompilerServices;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Mesh;

/// <summary>Every cluster's Istio config watch, created on first use and kept as long as the cluster's API lives. Thread-safe.</summary>
public sealed class IstioConfigs(ILogger<IstioConfigs> logger)
{
    private readonly ConditionalWeakTable<IClusterApi, IstioConfigWatch> _watches = new();

    public IstioConfigSnapshot For(IClusterApi api) =>
        (_watches.TryGetValue(api, out var watch) ? watch : _watches.GetValue(api, Watch)).Current;

    private IstioConfigWatch Watch(IClusterApi api) => new(api, errors =>
    {
        foreach (var error in errors)
        {
            logger.LogWarning("Istio config of cluster {Cluster} not used: {Error}", api.Bootstrap.Name, error);
        }
    });
}
