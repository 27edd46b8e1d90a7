using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LabNet.Simulator.Kubernetes;

/// <summary>Registers the simulated Kubernetes API servers and serves them at <c>/clusters/&lt;name&gt;/...</c>.</summary>
public static class KubernetesApiEndpoints
{
    public static IServiceCollection AddKubernetesApi(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<KubernetesApiOptions>()
            .BindConfiguration(KubernetesApiOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton<ClusterApiRegistry>();
        services.TryAddSingleton<IClusterApiRegistry>(sp => sp.GetRequiredService<ClusterApiRegistry>());
        services.AddMetrics();
        services.TryAddSingleton<KubernetesApiMetrics>();
        services.TryAddSingleton<WatchRequests>();
        services.TryAddSingleton<ResourceRequests>();
        services.TryAddSingleton<KubernetesApiRequestHandler>();
        return services;
    }

    public static IEndpointRouteBuilder MapKubernetesApi(this IEndpointRouteBuilder endpoints)
    {
        var handler = endpoints.ServiceProvider.GetRequiredService<KubernetesApiRequestHandler>();
        endpoints.Map("/clusters/{cluster}/{**path}", (HttpContext context, string cluster, string? path) =>
            handler.HandleAsync(context, cluster, path ?? ""));
        return endpoints;
    }
}
