using LabNet.Simulator.Traffic;
using LabNet.Simulator.Traffic.Background;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using LabNet.Simulator.Workloads;

namespace Microsoft.Extensions.DependencyInjection;

public static class TrafficServiceCollectionExtensions
{
    /// <summary>
    /// Registers the demo traffic generator (section <c>Simulator:Traffic</c>) and every Cilium cluster's background
    /// traffic (section <c>Simulator:Traffic:Background</c>): pods from the cluster API, verdicts from Cilium, flows into
    /// Hubble. Needs <c>AddHubble</c>, <c>AddCiliumPolicy</c>, <c>AddMesh</c> (kube-dns) and the Kubernetes API. Map
    /// <c>/traffic</c> with <c>app.MapTraffic()</c>.
    /// </summary>
    public static IServiceCollection AddTraffic(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<TrafficOptions>()
            .Bind(configuration.GetSection(TrafficOptions.Section))
            .ValidateDataAnnotations()
            .Validate(o => o.Settings.Validate().Count == 0, $"{TrafficOptions.Section}:Settings is invalid; GET /traffic shows valid settings.")
            .ValidateOnStart();
        services.TryAddSingleton<IServiceRouter, UniformServiceRouter>();
        services.TryAddSingleton<ITrafficTopologySource, ClusterApiTopologySource>();
        services.AddSingleton(sp => new TrafficSettingsStore(sp.GetRequiredService<IOptions<TrafficOptions>>().Value.Settings));
        services.AddSingleton<IApplicationBehaviours>(sp => sp.GetRequiredService<TrafficSettingsStore>());
        services.AddHostedService<TrafficGeneratorService>();
        services.AddOptions<BackgroundTrafficOptions>()
            .Bind(configuration.GetSection(BackgroundTrafficOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddHostedService<BackgroundTrafficService>();
        return services;
    }
}
