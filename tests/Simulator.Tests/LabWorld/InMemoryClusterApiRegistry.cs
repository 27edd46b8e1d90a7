using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Tests.LabWorld;

/// <summary>The registry the tool tests use in place of the API server's.</summary>
public sealed class InMemoryClusterApiRegistry : IClusterApiRegistry
{
    private readonly Dictionary<string, IClusterApi> _clusters = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();

    public IReadOnlyList<IClusterApi> Clusters
    {
        get
        {
            lock (_sync)
            {
                return [.. _clusters.Values];
            }
        }
    }

    public IClusterApi Create(ClusterBootstrap bootstrap)
    {
        lock (_sync)
        {
            if (_clusters.ContainsKey(bootstrap.Name))
            {
                throw new InvalidOperationException($"A cluster named '{bootstrap.Name}' exists.");
            }

            var api = new InMemoryClusterApi(bootstrap, new Uri($"http://127.0.0.1:5200/clusters/{bootstrap.Name}"));
            _clusters[bootstrap.Name] = api;
            return api;
        }
    }

    public IClusterApi? Find(string clusterName)
    {
        lock (_sync)
        {
            return _clusters.GetValueOrDefault(clusterName);
        }
    }

    public bool Remove(string clusterName)
    {
        lock (_sync)
        {
            return _clusters.Remove(clusterName);
        }
    }
}
