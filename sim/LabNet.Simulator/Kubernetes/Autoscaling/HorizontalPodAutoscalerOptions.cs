using System.ComponentModel.DataAnnotations;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// Section <c>Simulator:Autoscaling</c>: how often every cluster's HPA controller syncs, on the twin's clock (kube-controller-manager's
/// <c>--horizontal-pod-autoscaler-sync-period</c>, 15 s by default).
/// </summary>
public sealed class HorizontalPodAutoscalerOptions
{
    public const string SectionName = "Simulator:Autoscaling";

    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan SyncPeriod { get; set; } = TimeSpan.FromSeconds(15);
}
