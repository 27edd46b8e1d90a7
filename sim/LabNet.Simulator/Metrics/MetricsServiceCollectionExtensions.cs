using LabNet.Simulator.Clock;
using LabNet.Simulator.Kubernetes;
using Microsoft.Extensions.Options;

namespace LabNet.Simulator.Metrics;

public static class MetricsServiceCollectionExtensions
{
    /// <summary>
    /// kube-aggregator's APIService availability, the twin's metrics-server behind <c>v1beta1.metrics.k8s.io</c> (a
    /// seeded usage model sampled every 15 s) and the HPA controller that reads it.
    /// </summary>
    public static IServiceCollection AddResourceMetrics(this IServiceCollection services)
    {
        services.AddOptions<ResourceMetricsOptions>()
            .BindConfiguration(ResourceMetricsOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddOptions<HorizontalPodAutoscalerOptions>()
            .BindConfiguration(HorizontalPodAutoscalerOptions.SectionName)
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.AddSingleton(sp => new ResourceMetrics(sp.GetRequiredService<IOptions<SimulatorOptions>>().Value.Seed));
        services.AddSingleton<IAggregatedApiProvider, MetricsServerApiProvider>();
        services.AddSingleton<IPodMetricsSource, MetricsApiPodMetricsSource>();
        services.AddHostedService<ApiAggregationService>();
        services.AddHostedService<MetricsScrapeService>();
        services.AddHostedService<HorizontalPodAutoscalerService>();
        return services;
    }
}
