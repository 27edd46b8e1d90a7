using LabNet.Simulator.Hubble;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Metrics;

/// <summary>
/// metrics-server's scrape loop on every cluster that runs one: every <c>--metric-resolution</c> (15 s) of the twin's
/// clock, the resource usage of the cluster's pods and nodes is sampled from the model.
/// </summary>
public sealed class MetricsScrapeService(
    IClusterApiRegistry registry,
    ResourceMetrics metrics,
    HubbleClusters hubble,
    TimeProvider time,
    ILogger<MetricsScrapeService> logger) : BackgroundService
{
    public static readonly TimeSpan MetricResolution = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(MetricResolution, time);
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
