using LabNet.Simulator.Mesh;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

public static class MeshServiceCollectionExtensions
{
    /// <summary>
    /// Registers Istio's data plane in the twin: the per-cluster Istio config, the client sidecars' state, the one request
    /// path (<see cref="MeshDataPlane"/>, which the traffic generator then uses), curl's <see cref="IPodHttpClient"/>,
    /// kube-dns (<see cref="IClusterDns"/>) and the Cilium/Istio seam findings. Map <c>/mesh/findings</c> with <c>app.MapMesh()</c>.
    /// </summary>
    public static IServiceCollection AddMesh(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IstioConfigs>();
        services.AddSingleton<ClientSidecars>();
        services.AddSingleton<MeshDataPlane>();
        services.AddSingleton<IClusterDns, ClusterDns>();
        services.AddSingleton<IPodHttpClient, PodHttpClient>();
        services.AddSingleton<SeamFindings>();
        services.AddHostedService<SeamFindingsMonitor>();
        return services;
    }
}
