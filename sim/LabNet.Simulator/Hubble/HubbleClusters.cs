using System.Collections.Concurrent;
using LabNet.Simulator.Clock;
using LabNet.Simulator.Hubble.Relay;
using Microsoft.Extensions.Options;

namespace LabNet.Simulator.Hubble;

/// <summary>Every cluster's Hubble (node ring buffers), by cluster name, in the lab spec's order.</summary>
public sealed class HubbleClusters
{
    private readonly ConcurrentDictionary<string, HubbleClusterFlows> _clusters = new(StringComparer.Ordinal);
    private readonly HubbleOptions _options;
    private readonly TimeProvider _time;
    private readonly int _seed;

    public HubbleClusters(HubbleLabSpec spec, IOptions<HubbleOptions> options, IOptions<SimulatorOptions> simulator, TimeProvider time)
    {
        Spec = spec;
        _options = options.Value;
        _time = time;
        _seed = simulator.Value.Seed;
        foreach (var cluster in spec.Clusters)
        {
            GetOrCreate(cluster.Name, cluster.Nodes);
        }
    }

    public HubbleLabSpec Spec { get; }

    public IReadOnlyList<string> Names => Spec.Clusters.Select(c => c.Name).Concat(_clusters.Keys.Except(Spec.Clusters.Select(c => c.Name)).Order()).ToArray();

    public HubbleClusterFlows? Find(string cluster) => _clusters.GetValueOrDefault(cluster);

    public HubbleClusterFlows GetOrCreate(string cluster, IEnumerable<string>? nodes = null) =>
        _clusters.GetOrAdd(cluster, name => new HubbleClusterFlows(name, _options.RingCapacityPerNode, _time.GetUtcNow(), SeedFor(_seed, name), nodes));

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
