using LabNet.Simulator.Clock;
using LabNet.Simulator.Hubble;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Microsoft.Extensions.DependencyInjection;

public static class HubbleServiceCollectionExtensions
{
    /// <summary>
    /// Registers every cluster's Hubble (node ring buffers) and hubble-relay (a loopback h2c port per cluster whose
    /// Cilium runs the relay; section <c>Simulator:Hubble</c>). Map the HTTP side with <c>app.MapHubble()</c>.
    /// </summary>
    public static IServiceCollection AddHubble(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<SimulatorOptions>().Bind(configuration.GetSection(SimulatorOptions.Section));
        services.AddOptions<HubbleOptions>().Bind(configuration.GetSection(HubbleOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<HubbleClusters>();
        services.AddSingleton<HubbleRelays>();
        services.AddHostedService(sp => sp.GetRequiredService<HubbleRelays>());
        return services;
    }
}
