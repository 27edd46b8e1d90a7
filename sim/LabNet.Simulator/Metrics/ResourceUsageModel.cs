using System.Text.Json.Nodes;
using LabNet.Simulator.Hubble.Relay;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Metrics;

/// <summary>
/// A seeded model of the CPU and memory of one cluster's pods and nodes, as its kubelets would report them at each
/// scrape: every running container uses its program's idle share plus a cost per connection it served or opened
/// since the previous scrape (counted from the cluster's Hubble flows), with a few percent of seeded noise; memory
/// follows the traffic slowly. A pod has metrics once it has been running for a whole scrape interval, as with
/// metrics-server (a CPU rate needs two samples). A node is its pods plus the system's own share.
/// </summary>
public sealed class ResourceUsageModel(string cluster, int seed)
{
    /// <summary>The OS, kubelet and containerd of a node, outside any pod.</summary>
    private const double SystemMillicores = 55;
    private const double SystemMiB = 520;

    private readonly PodConnectionCounter _counter = new();
    private readonly Dictionary<string, PodState> _pods = new(StringComparer.Ordinal);
    private long _scrapes;

    public string Cluster { get; } = cluster;

    public ResourceUsageSnapshot Latest { get; private set; } = ResourceUsageSnapshot.Empty;

    private sealed class PodState
    {
        public long FirstSeenScrape { get; init; }

        public double ServedRate { get; set; }

        public double OpenedRate { get; set; }

        /// <summary>Working set beyond the idle one, following the traffic with a lag of a few scrapes.</summary>
        public double ExtraMiB { get; set; }
    }

    /// <summary>Takes a scrape at <paramref name="now"/> of the pods and nodes in <paramref name="api"/>.</summary>
    public ResourceUsageSnapshot Scrape(IClusterApi api, HubbleClusterFlows? flows, DateTimeOffset now)
    {
        lock (_pods)
        {
            return now <= Latest.Timestamp ? Latest : ScrapeLocked(api, flows, now);
        }
    }

    private ResourceUsageSnapshot ScrapeLocked(IClusterApi api, HubbleClusterFlows? flows, DateTimeOffset now)
    {
        var previous = Latest;
        var window = previous.Timestamp == DateTimeOffset.MinValue ? TimeSpan.Zero : now - previous.Timestamp;
        var connections = _counter.ReadNew(flows);
        _scrapes++;

        var running = api.List("v1", "Pod").Where(IsRunning).ToList();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pods = new List<PodUsage>();
        foreach (var pod in running)
        {
            var key = $"{ObjectFacts.Namespace(pod)}/{ObjectFacts.Name(pod)}";
            seen.Add(key);
            if (!_pods.TryGetValue(key, out var state))
            {
                _pods[key] = state = new PodState { FirstSeenScrape = _scrapes };
            }

            var (served, opened) = connections.GetValueOrDefault(key);
            if (window > TimeSpan.Zero)
            {
                state.ServedRate = served / window.TotalSeconds;
                state.OpenedRate = opened / window.TotalSeconds;
            }

            if (state.FirstSeenScrape == _scrapes || window <= TimeSpan.Zero)
            {
                continue;
            }

            pods.Add(Usage(pod, state));
        }

        foreach (var gone in _pods.Keys.Where(k => !seen.Contains(k)).ToList())
        {
            _pods.Remove(gone);
        }

        var nodes = api.List("v1", "Node").Select(node =>
        {
            var name = ObjectFacts.Name(node);
            var onNode = pods.Where(p => p.Node == name).ToList();
            var noise = Noise(name, 0.04);
            var cpu = (long)((onNode.Sum(p => p.CpuNanocores) + SystemMillicores * 1e6) * noise);
            var memory = (long)((onNode.Sum(p => p.MemoryBytes) + SystemMiB * 1024 * 1024) * Noise(name + "#memory", 0.01));
            return new NodeUsage(name, Labels(node), cpu, PageAligned(memory));
        }).ToList();

        Latest = new ResourceUsageSnapshot(now, window, pods, nodes);
        return Latest;
    }

    private PodUsage Usage(JsonObject pod, PodState state)
    {
        var name = ObjectFacts.Name(pod);
        var containers = new List<ContainerUsage>();
        foreach (var container in (pod["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var containerName = container["name"]?.GetValue<string>() ?? "";
            var profile = ContainerUsageProfile.For(container["image"]?.GetValue<string>() ?? "", containerName);
            var millicores = profile.IdleMillicores + profile.ServedCpuMs * state.ServedRate + profile.SentCpuMs * state.OpenedRate;
            var targetExtra = profile.MiBPerConnectionPerSecond * state.ServedRate;
            state.ExtraMiB += (targetExtra - state.ExtraMiB) * 0.3;
            var memory = (profile.IdleMiB + Math.Max(0, state.ExtraMiB)) * 1024 * 1024 * Noise($"{name}/{containerName}#memory", 0.01);
            containers.Add(new ContainerUsage(containerName, (long)(millicores * 1e6 * Noise($"{name}/{containerName}", 0.05)), PageAligned((long)memory)));
        }

        return new PodUsage(ObjectFacts.Namespace(pod)!, name, Labels(pod), pod["spec"]?["nodeName"]?.GetValue<string>() ?? "", containers);
    }

    /// <summary>A seeded factor around 1 (± <paramref name="spread"/>), new at every scrape and the same in every run.</summary>
    private double Noise(string what, double spread)
    {
        var hash = (uint)seed;
        foreach (var c in $"{Cluster}/{what}/{_scrapes}")
        {
            hash = (hash ^ c) * 16777619u;
        }

        var uniform = new Random((int)hash).NextDouble();
        return 1 + (uniform * 2 - 1) * spread;
    }

    private static long PageAligned(long bytes) => bytes / 4096 * 4096;

    private static bool IsRunning(JsonObject pod) =>
        pod["status"]?["phase"]?.GetValue<string>() == "Running"
        && !string.IsNullOrEmpty(pod["spec"]?["nodeName"]?.GetValue<string>())
        && pod["metadata"]?["deletionTimestamp"] is null;

    private static Dictionary<string, string> Labels(JsonObject obj) =>
        (obj["metadata"]?["labels"] as JsonObject ?? []).ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? "", StringComparer.Ordinal);
}
