namespace LabNet.Provisioner.Provisioning;

/// <summary>
/// Runs apply and destroy one at a time, in the background (a dashboard command or an HTTP caller should not hold a
/// connection open for the minutes a real lab takes), and remembers how the last one ended.
/// </summary>
public sealed class LabOperations(LabApplier applier, LabDestroyer destroyer, LabProgress progress, IHostApplicationLifetime lifetime)
{
    private readonly object _gate = new();
    private Task<LabOperationResult>? _running;
    private LabOperationResult? _last;

    public LabOperationResult? Last => _last;

    public Task<LabOperationResult> StartApply() => Start(applier.ApplyAsync);

    public Task<LabOperationResult> StartDestroy() => Start(destroyer.DestroyAsync);

    private Task<LabOperationResult> Start(Func<CancellationToken, Task<LabOperationResult>> operation)
    {
        lock (_gate)
        {
            if (_running is { IsCompleted: false })
            {
                return Task.FromResult(LabOperationResult.Busy(progress.Operation));
            }

            // Stopping the service cancels the operation; the next apply resumes from what the world then reports.
            var token = lifetime.ApplicationStopping;
            _running = Task.Run(async () =>
            {
                var result = await operation(token);
                _last = result;
                return result;
            }, token);
            return _running;
        }
    }
}
