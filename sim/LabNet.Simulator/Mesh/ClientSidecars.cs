using System.Collections.Concurrent;

namespace LabNet.Simulator.Mesh;

/// <summary>
/// The state the client sidecars keep between requests: one <see cref="OutlierDetector"/> per client pod and upstream
/// cluster. A DestinationRule change that alters a cluster's outlier settings gives that cluster a fresh detector (a
/// CDS update rebuilds the cluster in Envoy). Thread-safe.
/// </summary>
public sealed class ClientSidecars
{
    private readonly ConcurrentDictionary<(string Cluster, string Namespace, string Pod, string EnvoyCluster), OutlierDetector> _detectors = new();

    public OutlierDetector Detector(string cluster, string clientNamespace, string clientPod, string envoyCluster, OutlierDetectionSettings settings, DateTimeOffset now)
    {
        var key = (cluster, clientNamespace, clientPod, envoyCluster);
        while (true)
        {
            if (_detectors.TryGetValue(key, out var existing))
            {
                if (existing.Settings == settings)
                {
                    return existing;
                }

                var replacement = new OutlierDetector(envoyCluster, settings, now);
                if (_detectors.TryUpdate(key, replacement, existing))
                {
                    return replacement;
                }

                continue;
            }

            var created = new OutlierDetector(envoyCluster, settings, now);
            if (_detectors.TryAdd(key, created))
            {
                return created;
            }
        }
    }

    /// <summary>The detector of a client pod's upstream cluster, if that sidecar has sent anything there.</summary>
    public OutlierDetector? Find(string cluster, string clientNamespace, string clientPod, string envoyCluster) =>
        _detectors.GetValueOrDefault((cluster, clientNamespace, clientPod, envoyCluster));

    /// <summary>Forgets a cluster's sidecars (the cluster was reset).</summary>
    public void Forget(string cluster)
    {
        foreach (var key in _detectors.Keys)
        {
            if (key.Cluster == cluster)
            {
                _detectors.TryRemove(key, out _);
            }
        }
    }
}
