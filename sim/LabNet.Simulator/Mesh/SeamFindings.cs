using System.Collections.Concurrent;
using LabNet.Simulator.Cilium;
using LabNet.Simulator.Kubernetes;
using LabNet.Simulator.Workloads;

namespace LabNet.Simulator.Mesh;

/// <summary>
/// The seam findings of every cluster, computed from its current configuration; each new finding is logged once at
/// Warning with its fix. Thread-safe.
/// </summary>
public sealed class SeamFindings(IClusterApiRegistry registry, IstioConfigs istio, CiliumPolicyEngines policies, ILogger<SeamFindings> logger)
{
    private readonly ConcurrentDictionary<string, bool> _reported = new(StringComparer.Ordinal);

    /// <summary>Findings of one cluster (or all when <paramref name="cluster"/> is null).</summary>
    public IReadOnlyList<SeamFinding> Current(string? cluster = null)
    {
        var findings = new List<SeamFinding>();
        foreach (var api in registry.Clusters)
        {
            var name = api.Bootstrap.Name;
            if (cluster is not null && name != cluster)
            {
                continue;
            }

            // Without Cilium there is no L7 proxy, so no seam.
            if (policies.Find(name) is not { } engine)
            {
                continue;
            }

            findings.AddRange(SeamFindingAnalyzer.Analyze(name, istio.For(api), engine, ClusterApiTopologySource.Read(api)));
        }

        foreach (var finding in findings)
        {
            if (_reported.TryAdd(finding.Id, true))
            {
                logger.LogWarning("Cilium/Istio seam in cluster {Cluster}: {Message} Fix: {Fix}", finding.Cluster, finding.Message, finding.Fix);
            }
        }

        // A finding that went away is reported again if it comes back.
        var current = findings.Select(f => f.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var id in _reported.Keys)
        {
            if ((cluster is null || id.StartsWith(cluster + "/", StringComparison.Ordinal)) && !current.Contains(id) && _reported.TryRemove(id, out _))
            {
                logger.LogInformation("Cilium/Istio seam resolved: {Finding}", id);
            }
        }

        return findings;
    }
}
