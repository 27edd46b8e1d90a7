using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Kubeadm;

/// <summary>
/// Finds the <see cref="IClusterApiRegistry"/> (registered by the Kubernetes API server) when kubeadm or helm first
/// needs it, so the tools work and start without it and fail with a clear message if it is missing.
/// </summary>
public sealed class ClusterApiRegistryAccessor(IServiceProvider services)
{
    public IClusterApiRegistry Registry =>
        services.GetService<IClusterApiRegistry>() ?? throw new InvalidOperationException(
            "No IClusterApiRegistry is registered: the simulator's Kubernetes API server must be added to Program.cs before kubeadm or helm can create or reach clusters.");
}
