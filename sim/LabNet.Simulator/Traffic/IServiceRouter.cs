using LabNet.Simulator.Cilium.Policy;
using LabNet.Simulator.Workloads;

namespace LabNet.Simulator.Traffic;

/// <summary>
/// Picks the backend pod a request to a Service reaches. Without a mesh this is kube-proxy/Cilium's load balancing
/// (uniform); the Istio model replaces it with VirtualService routes and weights.
/// </summary>
public interface IServiceRouter
{
    TrafficPod Route(string cluster, TrafficService service, IReadOnlyList<TrafficPod> backends, HttpRequestInfo? request, Random random);
}

/// <summary>Uniform choice among the Service's ready backends (Cilium's socket load balancing: random).</summary>
public sealed class UniformServiceRouter : IServiceRouter
{
    public TrafficPod Route(string cluster, TrafficService service, IReadOnlyList<TrafficPod> backends, HttpRequestInfo? request, Random random) =>
        backends[random.Next(backends.Count)];
}
