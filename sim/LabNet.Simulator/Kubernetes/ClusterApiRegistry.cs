using System.Collections.Concurrent;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace LabNet.Simulator.Kubernetes;

/// <summary>The simulator's clusters by name; each one's API is served at <c>/clusters/&lt;name&gt;</c> on the simulator's own port.</summary>
public sealed class ClusterApiRegistry(
    IOptions<KubernetesApiOptions> options,
    TimeProvider time,
    ILoggerFactory loggers,
    IServiceProvider services) : IClusterApiRegistry, IDisposable
{
    private readonly ConcurrentDictionary<string, ClusterApi> _clusters = new(StringComparer.Ordinal);
    private readonly ILogger _logger = loggers.CreateLogger("LabNet.Simulator.Kubernetes");
    private readonly List<Watcher> _watchers = [];

    // Creating, removing and watching take turns, so a watcher hears of each cluster exactly once.
    private readonly Lock _membership = new();

    public IReadOnlyList<IClusterApi> Clusters => [.. _clusters.Values.OrderBy(c => c.Bootstrap.Name, StringComparer.Ordinal)];

    public IClusterApi Create(ClusterBootstrap bootstrap)
    {
        ArgumentNullException.ThrowIfNull(bootstrap);
        if (string.IsNullOrWhiteSpace(bootstrap.Name) || bootstrap.Name.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')))
        {
            throw new ArgumentException($"Cluster name '{bootstrap.Name}' must be lower-case letters, digits and '-'.", nameof(bootstrap));
        }

        var cluster = new ClusterApi(bootstrap, () => ServerFor(bootstrap.Name), time, _logger, Seed(bootstrap.Name));
        lock (_membership)
        {
            if (!_clusters.TryAdd(bootstrap.Name, cluster))
            {
                cluster.Dispose();
                throw new InvalidOperationException($"A cluster named '{bootstrap.Name}' already exists.");
            }

            foreach (var watcher in _watchers)
            {
                watcher.Created(cluster);
            }
        }

        _logger.LogInformation("Kubernetes API of cluster {Cluster} created ({Version}, pods {PodCidr}, services {ServiceCidr})",
            bootstrap.Name, bootstrap.KubernetesVersion, bootstrap.PodCidr, bootstrap.ServiceCidr);
        return cluster;
    }

    public IClusterApi? Find(string clusterName) => _clusters.GetValueOrDefault(clusterName);

    internal ClusterApi? FindApi(string clusterName) => _clusters.GetValueOrDefault(clusterName);

    public bool Remove(string clusterName)
    {
        ClusterApi? cluster;
        lock (_membership)
        {
            if (!_clusters.TryRemove(clusterName, out cluster))
            {
                return false;
            }

            foreach (var watcher in _watchers)
            {
                watcher.Removed(cluster);
            }
        }

        cluster.Dispose();
        _logger.LogInformation("Kubernetes API of cluster {Cluster} removed", clusterName);
        return true;
    }

    public IDisposable Watch(Action<IClusterApi> created, Action<IClusterApi> removed)
    {
        var watcher = new Watcher(created, removed, this);
        lock (_membership)
        {
            _watchers.Add(watcher);
            foreach (var cluster in _clusters.Values)
            {
                created(cluster);
            }
        }

        return watcher;
    }

    private sealed class Watcher(Action<IClusterApi> created, Action<IClusterApi> removed, ClusterApiRegistry registry) : IDisposable
    {
        public Action<IClusterApi> Created { get; } = created;

        public Action<IClusterApi> Removed { get; } = removed;

        public void Dispose()
        {
            lock (registry._membership)
            {
                registry._watchers.Remove(this);
            }
        }
    }

    public void Dispose()
    {
        foreach (var cluster in _clusters.Values)
        {
            cluster.Dispose();
        }

        _clusters.Clear();
    }

    private int Seed(string name)
    {
        var hash = 2166136261u;
        foreach (var c in name)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return options.Value.RandomSeed ^ (int)hash;
    }

    private Uri ServerFor(string name)
    {
        var baseUrl = options.Value.PublicBaseUrl;
        if (string.IsNullOrEmpty(baseUrl))
        {
            var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            baseUrl = addresses.FirstOrDefault(a => a.StartsWith("http://127.0.0.1", StringComparison.Ordinal))
                ?? addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.Ordinal))
                ?? "http://127.0.0.1";
        }

        return new Uri($"{baseUrl.TrimEnd('/')}/clusters/{name}");
    }
}
