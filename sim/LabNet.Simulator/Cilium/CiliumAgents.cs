using System.Diagnostics.Metrics;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Cilium;

/// <summary>
/// The Cilium agents of every cluster, as far as policy goes: once a cluster runs Cilium (its policy CRDs are
/// registered), its agents' policy watcher (<see cref="CiliumPolicySync"/>) imports what the cluster's API holds into the
/// cluster's engine and follows changes, whoever sends traffic there (curl in a pod, the demo, background flows).
/// A removed cluster takes its engine along (a cluster made again under the same name starts without policies).
/// </summary>
public sealed class CiliumAgents(
    IClusterApiRegistry registry,
    CiliumPolicyEngines engines,
    ILoggerFactory loggers,
    IMeterFactory? meters = null) : IHostedService, IDisposable
{
    private readonly Dictionary<IClusterApi, Agent> _agents = new(ReferenceEqualityComparer.Instance);
    private IDisposable? _watch;

    /// <summary>The policy watcher of a cluster whose Cilium runs, else null.</summary>
    public CiliumPolicySync? SyncOf(string cluster)
    {
        lock (_agents)
        {
            return _agents.FirstOrDefault(a => a.Key.Bootstrap.Name == cluster).Value?.Sync;
        }
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _watch = registry.Watch(Follow, Forget);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        Dispose();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        Interlocked.Exchange(ref _watch, null)?.Dispose();
        lock (_agents)
        {
            foreach (var agent in _agents.Values)
            {
                agent.Dispose();
            }

            _agents.Clear();
        }
    }

    private void Follow(IClusterApi api)
    {
        var agent = new Agent();
        lock (_agents)
        {
            _agents[api] = agent;
        }

        // Subscribe first so a CRD registered between the look and the subscription is not missed; starting is idempotent.
        agent.CrdWatch = api.Subscribe(change =>
        {
            if (CiliumInstallation.IsPolicyCrd(change))
            {
                StartIfInstalled(api, agent);
            }
        });
        StartIfInstalled(api, agent);
    }

    private void StartIfInstalled(IClusterApi api, Agent agent)
    {
        if (!CiliumInstallation.IsInstalled(api))
        {
            return;
        }

        lock (agent.Gate)
        {
            if (agent.Sync is not null || agent.Disposed)
            {
                return;
            }

            var name = api.Bootstrap.Name;
            agent.Sync = new CiliumPolicySync(api, engines.GetOrCreate(name), loggers.CreateLogger<CiliumPolicySync>(), meters);
            agent.Sync.Start();
            // The policy watcher follows the API from here; the CRD watch has done its work.
            agent.CrdWatch?.Dispose();
            agent.CrdWatch = null;
            loggers.CreateLogger<CiliumAgents>().LogInformation("Cilium agents of {Cluster} enforce the cluster's network policies", name);
        }
    }

    private void Forget(IClusterApi api)
    {
        Agent? agent;
        lock (_agents)
        {
            _agents.Remove(api, out agent);
        }

        agent?.Dispose();
        engines.Remove(api.Bootstrap.Name);
    }

    private sealed class Agent : IDisposable
    {
        public Lock Gate { get; } = new();

        public IDisposable? CrdWatch { get; set; }

        public CiliumPolicySync? Sync { get; set; }

        public bool Disposed { get; private set; }

        public void Dispose()
        {
            lock (Gate)
            {
                Disposed = true;
                CrdWatch?.Dispose();
                Sync?.Dispose();
            }
        }
    }
}
