namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// What the HPA controller remembers per autoscaler between syncs: its recent recommendations (for the stabilization
/// windows) and the replicas it added or removed (for the scaling policies' periods).
/// </summary>
internal sealed class ScalingHistory
{
    public List<(DateTimeOffset At, int Replicas)> Recommendations { get; } = [];

    public List<(DateTimeOffset At, int Change)> ScaleUps { get; } = [];

    public List<(DateTimeOffset At, int Change)> ScaleDowns { get; } = [];

    public static int ChangeInPeriod(List<(DateTimeOffset At, int Change)> events, DateTimeOffset now, int periodSeconds) =>
        events.Where(e => e.At > now - TimeSpan.FromSeconds(periodSeconds)).Sum(e => e.Change);
}
