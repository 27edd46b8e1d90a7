namespace LabNet.Provisioner.Provisioning;

/// <summary>
/// Runs the lab's operations and remembers the recent ones by id. Apply, repair and destroy change the world: they run
/// one at a time, in the background (a dashboard command or an HTTP caller should not hold a connection open for the
/// minutes a real lab takes). A plan only reads the world and may run alongside them.
/// </summary>
public sealed class LabOperations(LabApplier applier, LabDestroyer destroyer, LabPlanner planner, TimeProvider time, IHostApplicationLifetime lifetime)
{
    /// <summary>How many finished operations stay known by id.</summary>
    private const int Remembered = 50;

    private readonly object _gate = new();
    private readonly Dictionary<string, LabOperation> _byId = new(StringComparer.Ordinal);
    private readonly Queue<LabOperation> _history = new();
    private LabOperation? _running;
    private LabOperationResult? _last;

    /// <summary>How the last apply, repair or destroy ended, with its operation id.</summary>
    public LabOperationResult? Last => _last;

    public bool TryStartApply(out LabOperation operation) => TryStart("apply", applier.ApplyAsync, out operation);

    // Apply converges, so after a host restart it boots the VMs, follows changed addresses and repairs control planes.
    public bool TryStartRepair(out LabOperation operation) => TryStart("repair", applier.ApplyAsync, out operation);

    public bool TryStartDestroy(out LabOperation operation) => TryStart("destroy", destroyer.DestroyAsync, out operation);

    public LabOperation StartPlan(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            var operation = Remember("plan");
            _ = RunAsync(operation, async token => (object)((await planner.PlanAsync(token)) with { OperationId = operation.Id }), cancellationToken);
            return operation;
        }
    }

    public LabOperation? Find(string id)
    {
        lock (_gate)
        {
            return _byId.GetValueOrDefault(id);
        }
    }

    /// <summary>Starts a world-changing operation; when one is running already, returns false and that one.</summary>
    private bool TryStart(string kind, Func<CancellationToken, Task<LabOperationResult>> work, out LabOperation operation)
    {
        lock (_gate)
        {
            if (_running is { FinishedAt: null } running)
            {
                operation = running;
                return false;
            }

            var started = Remember(kind);
            _running = started;
            operation = started;
            // Stopping the service cancels the operation; the next apply resumes from what the world then reports.
            _ = RunAsync(started, async token =>
            {
                var result = (await work(token)) with { OperationId = started.Id };
                _last = result;
                return result;
            }, lifetime.ApplicationStopping);
            return true;
        }
    }

    private LabOperation Remember(string kind)
    {
        var operation = new LabOperation(Guid.CreateVersion7(time.GetUtcNow()).ToString("N"), kind, time.GetUtcNow());
        _byId[operation.Id] = operation;
        _history.Enqueue(operation);
        while (_history.Count > Remembered && _history.Peek().FinishedAt is not null)
        {
            _byId.Remove(_history.Dequeue().Id);
        }

        return operation;
    }

    private async Task RunAsync(LabOperation operation, Func<CancellationToken, Task<object>> work, CancellationToken cancellationToken)
    {
        await Task.Yield();
        try
        {
            operation.Complete(await work(cancellationToken), null, time.GetUtcNow());
        }
        catch (Exception ex)
        {
            operation.Complete(null, ex is OperationCanceledException ? "cancelled: the provisioner is stopping" : ex.Message, time.GetUtcNow());
        }
    }
}
