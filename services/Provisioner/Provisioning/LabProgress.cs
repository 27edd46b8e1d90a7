using System.Collections.Concurrent;

namespace LabNet.Provisioner.Provisioning;

/// <summary>Where each cluster's provisioning stands, for the status API and the dashboard. Thread safe.</summary>
public sealed class LabProgress(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, ClusterProgress> _clusters = new(StringComparer.Ordinal);
    private volatile string _operation = "idle";

    public string Operation => _operation;

    public void Begin(string operation, IEnumerable<(string Cluster, int Steps)> clusters)
    {
        _operation = operation;
        _clusters.Clear();
        foreach (var (cluster, steps) in clusters)
        {
            _clusters[cluster] = new ClusterProgress(cluster, ClusterState.Pending, null, null, 0, 0, steps, null, null, null);
        }
    }

    public void End() => _operation = "idle";

    public void Update(string cluster, Func<ClusterProgress, ClusterProgress> change) =>
        _clusters.AddOrUpdate(cluster,
            _ => change(new ClusterProgress(cluster, ClusterState.Pending, null, null, 0, 0, 0, null, null, null)),
            (_, current) => change(current));

    public void Started(string cluster) => Update(cluster, p => p with { State = ClusterState.Running, StartedAt = time.GetUtcNow() });

    public void StepCompleted(StepId step, bool skipped) => Update(step.Cluster, p => p with
    {
        StepsDone = p.StepsDone + 1,
        StepsSkipped = p.StepsSkipped + (skipped ? 1 : 0),
    });

    public void Finished(string cluster, string? error) => Update(cluster, p => p with
    {
        State = error is null ? ClusterState.Succeeded : ClusterState.Failed,
        Error = error,
        CurrentStep = null,
        FinishedAt = time.GetUtcNow(),
    });

    public LabProgressSnapshot Snapshot() =>
        new(_operation, _clusters.Values.OrderBy(c => c.Cluster, StringComparer.Ordinal).ToList());
}

public enum ClusterState
{
    Pending,
    Running,
    Succeeded,
    Failed,
}

public sealed record ClusterProgress(
    string Cluster,
    ClusterState State,
    string? Phase,
    string? CurrentStep,
    int StepsDone,
    int StepsSkipped,
    int StepsTotal,
    string? Error,
    DateTimeOffset? StartedAt,
    DateTimeOffset? FinishedAt);

public sealed record LabProgressSnapshot(string Operation, IReadOnlyList<ClusterProgress> Clusters);
