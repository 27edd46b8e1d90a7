namespace LabNet.Provisioner.Provisioning;

/// <summary>
/// One run of plan, apply, repair or destroy. Its <see cref="Id"/> is what a caller waits on
/// (<c>GET /api/lab/operations/{id}?wait=true</c>), so it never mistakes an earlier operation's result for this one's.
/// </summary>
public sealed class LabOperation(string id, string kind, DateTimeOffset startedAt)
{
    private readonly TaskCompletionSource _finished = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public string Id { get; } = id;

    /// <summary><c>plan</c>, <c>apply</c>, <c>repair</c> or <c>destroy</c>.</summary>
    public string Kind { get; } = kind;

    public DateTimeOffset StartedAt { get; } = startedAt;

    public DateTimeOffset? FinishedAt { get; private set; }

    /// <summary>A <see cref="LabOperationResult"/>, or a <see cref="LabPlanResult"/> for a plan; null while it runs.</summary>
    public object? Result { get; private set; }

    /// <summary>Why it ended without a result (the service stopping, an unexpected exception).</summary>
    public string? Error { get; private set; }

    /// <summary>Completes (never faults) when the operation has finished.</summary>
    public Task Finished => _finished.Task;

    public LabOperationView View() => new(Id, Kind, FinishedAt is null ? "running" : Error is null ? "finished" : "failed", StartedAt, FinishedAt, Result, Error);

    internal void Complete(object? result, string? error, DateTimeOffset at)
    {
        (Result, Error, FinishedAt) = (result, error, at);
        _finished.TrySetResult();
    }
}

/// <summary>What the API shows of an operation: <c>state</c> is <c>running</c>, <c>finished</c> (see <c>result</c>) or <c>failed</c> (see <c>error</c>).</summary>
public sealed record LabOperationView(string OperationId, string Kind, string State, DateTimeOffset StartedAt, DateTimeOffset? FinishedAt, object? Result, string? Error);
