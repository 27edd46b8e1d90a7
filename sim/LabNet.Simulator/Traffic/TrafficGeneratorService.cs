using LabNet.Simulator.Cilium;
using LabNet.Simulator.Clock;
using LabNet.Simulator.Hubble;
using LabNet.Simulator.Kubernetes;
using Microsoft.Extensions.Options;
using LabNet.Simulator.Workloads;

namespace LabNet.Simulator.Traffic;

/// <summary>
/// Drives a <see cref="TrafficGenerator"/> per demo cluster on the twin's clock. A cluster takes part once its
/// Kubernetes API exists and Cilium runs there; the cluster's Cilium agents (<see cref="CiliumAgents"/>) keep its policy
/// engine in step with the API.
/// </summary>
public sealed class TrafficGeneratorService(
    ITrafficTopologySource topology,
    IClusterApiRegistry apis,
    CiliumPolicyEngines engines,
    HubbleClusters hubble,
    TrafficSettingsStore settings,
    IServiceRouter router,
    IOptions<TrafficOptions> options,
    IOptions<SimulatorOptions> simulator,
    TimeProvider time,
    ILoggerFactory loggers,
    LabNet.Simulator.Mesh.MeshDataPlane? mesh = null) : BackgroundService
{
    // A stalled host (debugger, suspended VM) must not turn into a burst of minutes of traffic.
    private static readonly TimeSpan MaxStep = TimeSpan.FromSeconds(2);

    private readonly ILogger _logger = loggers.CreateLogger<TrafficGeneratorService>();
    private readonly Dictionary<string, (IClusterApi Api, TrafficGenerator Generator)> _clusters = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.Enabled)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(options.Value.TickMilliseconds), time);
        var last = time.GetUtcNow();
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            var now = time.GetUtcNow();
            var elapsed = now - last;
            last = now;
            try
            {
                Step(now, elapsed > MaxStep ? MaxStep : elapsed);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // One bad step (an object the generator cannot read) must not stop the twin's traffic for good.
                _logger.LogError(e, "Traffic step failed; the next tick tries again");
            }
        }
    }

    private void Step(DateTimeOffset now, TimeSpan elapsed)
    {
        foreach (var name in options.Value.Clusters)
        {
            // No Cilium (its CRDs come with it), no Hubble and no pod network: the cluster has no flows to show yet.
            if (apis.Find(name) is not { } api || !CiliumInstallation.IsInstalled(api) || topology.Get(name) is not { } pods)
            {
                continue;
            }

            if (!_clusters.TryGetValue(name, out var cluster) || !ReferenceEquals(cluster.Api, api))
            {
                var generator = new TrafficGenerator(name, engines.GetOrCreate(name), hubble.GetOrCreate(name), settings, router, HubbleClusters.SeedFor(simulator.Value.Seed, "traffic/" + name),
                    mesh?.For(api), () => CiliumSocketLoadBalancing.TranslatesInPods(api));
                cluster = (api, generator);
                _clusters[name] = cluster;
            }

            cluster.Generator.Step(pods, now, elapsed);
        }
    }
}
