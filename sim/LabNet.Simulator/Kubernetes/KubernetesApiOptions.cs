using System.ComponentModel.DataAnnotations;

namespace LabNet.Simulator.Kubernetes;

/// <summary>Settings of the simulated Kubernetes API servers (section <c>KubernetesApi</c>).</summary>
public sealed class KubernetesApiOptions
{
    public const string SectionName = "KubernetesApi";

    /// <summary>Seed of each cluster's random source (pod and ReplicaSet names, ClusterIPs); mixed with the cluster name.</summary>
    public int RandomSeed { get; set; } = 20_241_126;

    /// <summary>
    /// The base URL kubeconfigs name (<c>http://127.0.0.1:PORT</c>). Empty: the address Kestrel listens on, which is
    /// what tests and the AppHost want.
    /// </summary>
    [Url]
    public string? PublicBaseUrl { get; set; }

    /// <summary>How many past changes a watch can resume from before it gets 410 Gone.</summary>
    [Range(100, 1_000_000)]
    public int WatchHistory { get; set; } = 10_000;
}
