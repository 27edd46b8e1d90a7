using LabNet.Simulator.Cilium;
using LabNet.Simulator.Clock;
using LabNet.Simulator.Hubble;
using LabNet.Simulator.Kubernetes;
using LabNet.Simulator.Mesh;
using LabNet.Simulator.Workloads;
using Microsoft.Extensions.Options;

namespace LabNet.Simulator.Traffic.Background;

/// <summary>
/// Steps a <see cref="ClusterBackgroundTraffic"/> for every cluster that runs Cilium, on the twin's clock, so every
/// cluster's Hubble shows the traffic a real cluster has even where no demo runs.
/// </summary>
public sealed class BackgroundTrafficService(
    IClusterApiRegistry registry,
    ITrafficTopologySource topology,
    CiliumPolicyEngines engines,
    HubbleClusters hubble,
    IClusterDns dns,
    IOptions<BackgroundTrafficOptions> options,
    IOptions<SimulatorOptions> simulator,
    TimeProvider time,
    ILogger<BackgroundTrafficService> logger) : BackgroundService
{
    private readonly Dictionary<IClusterApi, ClusterBackgroundTraffic> _clusters = new(ReferenceEqualityComparer.Instance);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.TickMilliseconds), time);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            try
            {
                Step(time.GetUtcNow());
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One bad step (an object the model cannot read) must not silence the clusters for good.
                logger.LogError(e, "Background traffic step failed; the next tick tries again");
            }
        }
    }

    private void Step(DateTimeOffset now)
    {
        var apis = registry.Clusters;
        foreach (var gone in _clusters.Keys.Where(api => !apis.Contains(api)).ToList())
        {
            _clusters.Remove(gone);
        }

        foreach (var api in apis)
        {
            var name = api.Bootstrap.Name;
            if (!CiliumInstallation.IsInstalled(api) || topology.Get(name) is not { } state)
            {
                continue;
            }

            if (!_clusters.TryGetValue(api, out var cluster))
            {
                cluster = new ClusterBackgroundTraffic(name, api.Bootstrap.KubernetesVersion, engines.GetOrCreate(name), hubble.GetOrCreate(name), dns, options.Value,
                    HubbleClusters.SeedFor(simulator.Value.Seed, "background/" + name));
                _clusters[api] = cluster;
            }

            cluster.Step(state, now);
        }
    }
}
