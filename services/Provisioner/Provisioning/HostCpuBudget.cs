namespace LabNet.Provisioner.Provisioning;

/// <summary>
/// Lets clusters provision in parallel only while the vCPUs of their VMs fit the budget (the Mac's cores times
/// <c>Lab:Host:CpuOversubscription</c>): booting, apt and kubeadm in more VMs than that at once only slows all of them
/// (and delays DHCP, the original lab's failure mode 8). A cluster larger than the whole budget runs alone.
/// </summary>
public sealed class HostCpuBudget
{
    private readonly object _gate = new();
    private readonly int _cores;
    private int _available;

    private readonly Queue<(int Cpus, TaskCompletionSource Ready)> _waiting = new();

    public HostCpuBudget(int cores)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(cores, 1);
        _cores = cores;
        _available = cores;
    }

    public int Cores => _cores;

    public async Task<IDisposable> AcquireAsync(int cpus, CancellationToken cancellationToken)
    {
        var wanted = Math.Min(cpus, _cores);
        TaskCompletionSource ready;
        lock (_gate)
        {
            if (_waiting.Count == 0 && _available >= wanted)
            {
                _available -= wanted;
                return new Lease(this, wanted);
            }

            ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Enqueue((wanted, ready));
        }

        await ready.Task.WaitAsync(cancellationToken);
        return new Lease(this, wanted);
    }

    private void Release(int cpus)
    {
        lock (_gate)
        {
            _available += cpus;
            // First come, first served: a large cluster is not starved by smaller ones behind it.
            while (_waiting.TryPeek(out var next) && _available >= next.Cpus)
            {
                _waiting.Dequeue();
                _available -= next.Cpus;
                next.Ready.SetResult();
            }
        }
    }

    private sealed class Lease(HostCpuBudget budget, int cpus) : IDisposable
    {
        private int _released;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                budget.Release(cpus);
            }
        }
    }

    /// <summary>The modelled wall time of clusters scheduled as <see cref="AcquireAsync"/> would run them.</summary>
    public TimeSpan EstimateMakespan(IEnumerable<(int Cpus, TimeSpan Duration)> clusters)
    {
        var running = new List<(TimeSpan Finish, int Cpus)>();
        var now = TimeSpan.Zero;
        var free = _cores;
        foreach (var (cpus, duration) in clusters)
        {
            var wanted = Math.Min(cpus, _cores);
            while (free < wanted)
            {
                var first = running.MinBy(r => r.Finish);
                running.Remove(first);
                now = first.Finish > now ? first.Finish : now;
                free += first.Cpus;
            }

            free -= wanted;
            running.Add((now + duration, wanted));
        }

        return running.Select(r => r.Finish).DefaultIfEmpty(now).Max();
    }
}
