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
    IMeterFactory? meters = null) : ClusterAttachments(registry)
{
    /// <summary>The policy watcher of a cluster whose Cilium runs, else null.</summary>
    public CiliumPolicySync? SyncOf(string cluster) => AttachmentOf<Agent>(cluster)?.Sync;

    protected override IDisposable Attach(IClusterApi cluster)
    {
        var agent = new Agent();
        // Subscribe first so a CRD registered between the look and the subscription is not missed; starting is idempotent.
        agent.CrdWatch = cluster.Subscribe(change =>
        {
            if (CiliumInstallation.IsPolicyCrd(change))
            {
                StartIfInstalled(cluster, agent);
            }
        });
        StartIfInstalled(cluster, agent);
        return agent;
    }

    protected override void Detached(IClusterApi cluster) => engines.Remove(cluster.Bootstrap.Name);

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
