namespace LabNet.Simulator.Host;

/// <summary>One <c>tart run</c> of a VM: from power-on until it stops. The run's caller waits on <see cref="Stopped"/>.</summary>
public sealed class VmRun
{
    private readonly TaskCompletionSource _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Cancelled when the VM powers off, so its boot sequence stops where it was.</summary>
    public CancellationTokenSource PowerOff { get; } = new();

    public Task Stopped => _stopped.Task;

    public bool StopRequested { get; set; }

    internal void MarkStopped()
    {
        PowerOff.Cancel();
        _stopped.TrySetResult();
    }
}
