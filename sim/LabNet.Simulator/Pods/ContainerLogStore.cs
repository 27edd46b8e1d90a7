using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace LabNet.Simulator.Pods;

/// <summary>Every container's logs, per run (restart), by cluster, pod uid and container name. Thread-safe.</summary>
public sealed class ContainerLogStore(IOptions<PodRuntimeOptions> options)
{
    private readonly ConcurrentDictionary<(string Cluster, string PodUid, string Container), List<ContainerLog>> _logs = new();

    /// <summary>Starts the log of a new run of the container (its first start or a restart).</summary>
    public ContainerLog Start(string cluster, string podUid, string container)
    {
        var log = new ContainerLog(options.Value.LogLines);
        var runs = _logs.GetOrAdd((cluster, podUid, container), _ => []);
        lock (runs)
        {
            runs.Add(log);
            if (runs.Count > 2)
            {
                runs.RemoveAt(0);
            }
        }

        return log;
    }

    /// <summary>The current run's log, or the one before it (<c>--previous</c>); null when there is none.</summary>
    public ContainerLog? Find(string cluster, string podUid, string container, bool previous)
    {
        if (!_logs.TryGetValue((cluster, podUid, container), out var runs))
        {
            return null;
        }

        lock (runs)
        {
            var index = runs.Count - (previous ? 2 : 1);
            return index >= 0 ? runs[index] : null;
        }
    }

    /// <summary>Forgets a deleted pod's logs, as the kubelet removes its containers.</summary>
    public void Remove(string cluster, string podUid)
    {
        foreach (var key in _logs.Keys.Where(k => k.Cluster == cluster && k.PodUid == podUid))
        {
            _logs.TryRemove(key, out _);
        }
    }
}
