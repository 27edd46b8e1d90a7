using LabNet.Simulator.Cilium;

namespace Microsoft.Extensions.DependencyInjection;

public static class CiliumServiceCollectionExtensions
{
    /// <summary>Registers the simulated Cilium policy engines (one per cluster, see <see cref="CiliumPolicyEngines"/>).</summary>
    public static IServiceCollection AddCiliumPolicy(this IServiceCollection services)
    {
        services.AddSingleton<CiliumPolicyEngines>();
        return services;
    }
}
