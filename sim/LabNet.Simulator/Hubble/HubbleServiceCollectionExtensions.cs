using LabNet.Simulator.Clock;
using LabNet.Simulator.Hubble;
using LabNet.Simulator.Hubble.Relay;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class HubbleServiceCollectionExtensions
{
    /// <summary>
    /// Registers every lab cluster's Hubble (node ring buffers) and hubble-relay (one loopback h2c port per cluster,
    /// section <c>Simulator:Hubble</c>). Map the HTTP side with <c>app.MapHubble()</c>.
    /// </summary>
    public static IServiceCollection AddHubble(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<SimulatorOptions>().Bind(configuration.GetSection(SimulatorOptions.Section));
        services.AddOptions<HubbleOptions>().Bind(configuration.GetSection(HubbleOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => HubbleLabSpec.Load(sp.GetRequiredService<IOptions<HubbleOptions>>().Value.LabSpecPath, sp.GetRequiredService<IHostEnvironment>().ContentRootPath));
        services.AddSingleton<HubbleClusters>();
        services.AddSingleton<HubbleRelays>();
        services.AddHostedService(sp => sp.GetRequiredService<HubbleRelays>());
        return services;
    }
}
