using System.Collections.Concurrent;
using LabNet.Simulator.Clock;
using LabNet.Simulator.Hubble.Relay;
using Microsoft.Extensions.Options;

namespace LabNet.Simulator.Hubble;

/// <summary>Every cluster's Hubble (its nodes' ring buffers), by cluster name, from the first flow or relay on.</summary>
public sealed class HubbleClusters(IOptions<HubbleOptions> options, IOptions<SimulatorOptions> simulator, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, HubbleClusterFlows> _clusters = new(StringComparer.Ordinal);

    public HubbleClusterFlows? Find(string cluster) => _clusters.GetValueOrDefault(cluster);

    public HubbleClusterFlows GetOrCreate(string cluster) =>
        _clusters.GetOrAdd(cluster, name => new HubbleClusterFlows(name, options.Value.RingCapacityPerNode, time.GetUtcNow(), SeedFor(simulator.Value.Seed, name)));

    /// <summary>A per-cluster seed that is the same in every run (HashCode is randomised per process).</summary>
    public static int SeedFor(int seed, string cluster)
    {
        var h = seed;
        foreach (var c in cluster)
        {
            h = unchecked(h * 31 + c);
        }

        return h;
    }
}
