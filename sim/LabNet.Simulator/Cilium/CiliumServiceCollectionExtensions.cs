using LabNet.Simulator.Cilium;

namespace Microsoft.Extensions.DependencyInjection;

public static class CiliumServiceCollectionExtensions
{
    /// <summary>
    /// Registers the simulated Cilium policy engines (one per cluster, see <see cref="CiliumPolicyEngines"/>) and the agents
    /// that keep each cluster's engine in step with its API once Cilium runs there (<see cref="CiliumAgents"/>; needs the
    /// Kubernetes API).
    /// </summary>
    public static IServiceCollection AddCiliumPolicy(this IServiceCollection services)
    {
        services.AddSingleton<CiliumPolicyEngines>();
        services.AddSingleton<CiliumAgents>();
        services.AddHostedService(sp => sp.GetRequiredService<CiliumAgents>());
        return services;
    }
}
