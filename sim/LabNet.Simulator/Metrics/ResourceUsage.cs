namespace LabNet.Simulator.Metrics;

/// <summary>What a kubelet's resource metrics report for one container: CPU in nanocores over the window, working set in bytes.</summary>
public sealed record ContainerUsage(string Name, long CpuNanocores, long MemoryBytes);

public sealed record PodUsage(string Namespace, string Name, IReadOnlyDictionary<string, string> Labels, string Node, IReadOnlyList<ContainerUsage> Containers)
{
    public long CpuNanocores => Containers.Sum(c => c.CpuNanocores);

    public long MemoryBytes => Containers.Sum(c => c.MemoryBytes);
}

public sealed record NodeUsage(string Name, IReadOnlyDictionary<string, string> Labels, long CpuNanocores, long MemoryBytes);

/// <summary>One scrape of every kubelet of a cluster: when, over which window, and the usage of each running pod and node.</summary>
public sealed record ResourceUsageSnapshot(DateTimeOffset Timestamp, TimeSpan Window, IReadOnlyList<PodUsage> Pods, IReadOnlyList<NodeUsage> Nodes)
{
    public static ResourceUsageSnapshot Empty { get; } = new(DateTimeOffset.MinValue, TimeSpan.Zero, [], []);
}
