using Microsoft.Extensions.Options;

namespace LabNet.Simulator.Kubernetes;

/// <summary>Runs every cluster's HPA controller every <see cref="HorizontalPodAutoscalerOptions.SyncPeriod"/> of the twin's clock.</summary>
public sealed class HorizontalPodAutoscalerService(
    ClusterApiRegistry registry,
    IPodMetricsSource metrics,
    IOptions<HorizontalPodAutoscalerOptions> options,
    TimeProvider time,
    ILogger<HorizontalPodAutoscalerService> logger) : BackgroundService
{
    private readonly Dictionary<string, (ClusterApi Api, HorizontalPodAutoscalerController Controller)> _clusters = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SyncPeriod, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var cluster in registry.Clusters)
            {
                if (registry.FindApi(cluster.Bootstrap.Name) is not { } api)
                {
                    continue;
                }

                if (!_clusters.TryGetValue(api.Bootstrap.Name, out var state) || !ReferenceEquals(state.Api, api))
                {
                    _clusters[api.Bootstrap.Name] = state = (api, new HorizontalPodAutoscalerController(api, metrics));
                }

                try
                {
                    state.Controller.Sync(time.GetUtcNow());
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "HPA sync of cluster {Cluster} failed; the next one tries again", api.Bootstrap.Name);
                }
            }
        }
    }
}
