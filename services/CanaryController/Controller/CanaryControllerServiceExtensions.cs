using LabNet.CanaryController.Kubernetes;
using LabNet.CanaryController.Traffic;
using Microsoft.Extensions.Options;

namespace LabNet.CanaryController.Controller;

public static class CanaryControllerServiceExtensions
{
    /// <summary>The Kubernetes adapter, the FlowCollector client and the controller loop (options section <c>CanaryController</c>).</summary>
    public static IServiceCollection AddCanaryControllerAdapter(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<CanaryControllerOptions>().Bind(configuration.GetSection(CanaryControllerOptions.SectionName)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<CanaryControllerOptions>, CanaryControllerOptionsValidator>();
        services.AddSingleton<KubernetesClientSource>();
        services.AddSingleton<CanaryReconciler>();
        services.AddHttpClient(FlowCollectorClient.HttpClientName, (provider, http) =>
            http.BaseAddress = provider.GetRequiredService<IOptions<CanaryControllerOptions>>().Value.FlowCollector);
        services.AddSingleton<FlowCollectorClient>();
        services.AddHostedService<CanaryControllerWorker>();
        return services;
    }
}
