using Microsoft.Extensions.DependencyInjection.Extensions;
using LabNet.Simulator.Clock;
using LabNet.Simulator.Faults;
using LabNet.Simulator.Guest.Commands;
using LabNet.Simulator.Helm;
using LabNet.Simulator.Helm.Charts;
using LabNet.Simulator.Host;
using LabNet.Simulator.Programs;
using LabNet.Simulator.Kubeadm;
using LabNet.Simulator.Ssh;
using LabNet.Simulator.Tart;
using LabNet.Simulator.Tools;

namespace LabNet.Simulator.LabWorld;

/// <summary>Registers the Mac, Tart, the guests, kubeadm, helm and the tools boundary.</summary>
public static class LabWorldServiceCollectionExtensions
{
    public static IServiceCollection AddLabWorld(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<ClockOptions>().Bind(configuration.GetSection(ClockOptions.Section)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<SimulatorOptions>().Bind(configuration.GetSection(SimulatorOptions.Section));
        services.AddOptions<ModeledDurations>().Bind(configuration.GetSection(ModeledDurations.Section));
        services.AddOptions<MacHostOptions>().Bind(configuration.GetSection(MacHostOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton<SimulationClock>();
        services.AddSingleton<SimulationRandom>();
        services.AddSingleton<FaultInjector>();
        services.AddSingleton<MacHost>();
        services.AddSingleton<ModeledStepLog>();
        services.AddSingleton<ToolRunner>();
        services.AddSingleton<ITool, TartTool>();
        services.AddSingleton<SshTool>();
        services.AddSingleton<ITool>(sp => sp.GetRequiredService<SshTool>());
        services.AddSingleton<ITool, SshPassTool>();
        services.AddSingleton<ITool, HelmTool>();
        services.AddSingleton<HelmRepositories>();

        services.AddShellPrograms();
        services.AddSingleton<GuestPrograms>();
        services.AddSingleton<IGuestCommand, SudoCommand>();
        services.AddSingleton<IGuestCommand, GuestCurlCommand>();
        services.AddSingleton<IGuestCommand, SystemCommands>();
        services.AddSingleton<IGuestCommand, SystemctlCommand>();
        services.AddSingleton<IGuestCommand, AptCommands>();
        services.AddSingleton<IGuestCommand, NetworkToolCommands>();
        services.AddSingleton<IGuestCommand, OpensslCommand>();
        services.AddSingleton<IGuestCommand, KubeadmCommand>();
        services.AddSingleton<IGuestCommand, KubectlCommand>();
        services.AddSingleton<IGuestCommand, NetworkProbeCommands>();

        // kubeadm's clusters and the kubelets that watch them. The IClusterApiRegistry itself comes from the API server.
        services.AddSingleton<KubeadmClusters>();
        services.AddSingleton<ClusterApiRegistryAccessor>();
        services.AddSingleton<ClusterEndpoints>();
        services.AddSingleton<ControlPlaneMonitor>();
        services.AddSingleton<IVmLifecycleObserver>(sp => sp.GetRequiredService<ControlPlaneMonitor>());
        services.AddSingleton<IGuestServiceObserver>(sp => sp.GetRequiredService<ControlPlaneMonitor>());
        services.AddSingleton<IControlPlaneObserver, CiliumApiServerAddress>();
        services.AddSingleton<IGuestPortListener, ApiServerPort>();
        return services;
    }
}
