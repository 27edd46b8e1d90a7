namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// A part of the twin that attaches itself to every cluster the simulator has (kubeadm creates them at any time) as the
/// cluster is created, and detaches when the cluster goes or the simulator stops.
/// </summary>
public abstract class ClusterAttachments(IClusterApiRegistry registry) : IHostedService, IDisposable
{
    private readonly Dictionary<IClusterApi, IDisposable> _attached = new(ReferenceEqualityComparer.Instance);
    private IDisposable? _watch;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _watch = registry.Watch(OnCreated, OnRemoved);
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
        lock (_attached)
        {
            foreach (var attachment in _attached.Values)
            {
                attachment.Dispose();
            }

            _attached.Clear();
        }

        GC.SuppressFinalize(this);
    }

    /// <summary>Attaches to a new cluster; disposing the result detaches. Called on the thread that creates the cluster: keep it quick.</summary>
    protected abstract IDisposable Attach(IClusterApi cluster);

    /// <summary>After a removed cluster was detached.</summary>
    protected virtual void Detached(IClusterApi cluster)
    {
    }

    /// <summary>What is attached to the cluster of that name now, if it is a <typeparamref name="T"/>.</summary>
    protected T? AttachmentOf<T>(string cluster) where T : class, IDisposable
    {
        lock (_attached)
        {
            return _attached.FirstOrDefault(a => a.Key.Bootstrap.Name == cluster).Value as T;
        }
    }

    private void OnCreated(IClusterApi cluster)
    {
        var attachment = Attach(cluster);
        lock (_attached)
        {
            _attached[cluster] = attachment;
        }
    }

    private void OnRemoved(IClusterApi cluster)
    {
        IDisposable? attachment;
        lock (_attached)
        {
            _attached.Remove(cluster, out attachment);
        }

        attachment?.Dispose();
        Detached(cluster);
    }

    /// <summary>Several attachments detached together.</summary>
    protected sealed class Together(params IDisposable[] parts) : IDisposable
    {
        public void Dispose()
        {
            foreach (var part in parts)
            {
                part.Dispose();
            }
        }
    }
}
