namespace LabNet.Simulator.Kubernetes;

/// <summary>Runs kube-aggregator's availability checks of every cluster's APIServices every second of the twin's clock.</summary>
public sealed class ApiAggregationService(
    ClusterApiRegistry registry,
    IEnumerable<IAggregatedApiProvider> providers,
    TimeProvider time,
    ILogger<ApiAggregationService> logger) : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);
    private readonly Dictionary<string, (ClusterApi Api, ApiServiceAvailability Availability)> _clusters = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var cluster in registry.Clusters)
            {
                var api = registry.FindApi(cluster.Bootstrap.Name);
                if (api is null)
                {
                    continue;
                }

                if (!_clusters.TryGetValue(api.Bootstrap.Name, out var state) || !ReferenceEquals(state.Api, api))
                {
                    _clusters[api.Bootstrap.Name] = state = (api, new ApiServiceAvailability(api, [.. providers]));
                }

                try
                {
                    state.Availability.Reconcile();
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "APIService availability check of cluster {Cluster} failed; the next tick tries again", api.Bootstrap.Name);
                }
            }
        }
    }
}
