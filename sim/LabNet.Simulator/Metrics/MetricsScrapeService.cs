using LabNet.Simulator.Hubble;
using LabNet.Simulator.Kubernetes;
using Microsoft.Extensions.Options;

namespace LabNet.Simulator.Metrics;

/// <summary>
/// metrics-server's scrape loop on every cluster that runs one: every <c>--metric-resolution</c> (15 s by default) of
/// the twin's clock, the resource usage of the cluster's pods and nodes is sampled from the model.
/// </summary>
public sealed class MetricsScrapeService(
    IClusterApiRegistry registry,
    ResourceMetrics metrics,
    HubbleClusters hubble,
    IOptions<ResourceMetricsOptions> options,
    TimeProvider time,
    ILogger<MetricsScrapeService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.MetricResolution, time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var cluster in registry.Clusters)
            {
                try
                {
                    if (ResourceMetrics.CanScrape(cluster))
                    {
                        metrics.For(cluster).Scrape(cluster, hubble.Find(cluster.Bootstrap.Name), time.GetUtcNow());
                    }
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    logger.LogError(e, "Scrape of cluster {Cluster} failed; the next one tries again", cluster.Bootstrap.Name);
                }
            }
        }
    }
}
