using LabNet.Canary;
using LabNet.CanaryController.Resources;

namespace LabNet.CanaryController.Rollout;

/// <summary>What the Kubernetes adapter must do after a tick, in order.</summary>
public abstract record CanaryAction;

/// <summary>Set the weights of the weighted route of the VirtualService (only that route's destinations).</summary>
public sealed record SetRouteWeights(string Namespace, string VirtualService, RouteWeights Weights) : CanaryAction;

/// <summary>Set <c>trafficPolicy.outlierDetection</c> on one subset of the DestinationRule.</summary>
public sealed record SetSubsetOutlierDetection(string Namespace, string DestinationRule, string Subset, OutlierDetectionSettings Settings) : CanaryAction;

/// <summary>Remove the subset's own outlierDetection, so the rule-level (original) policy applies again.</summary>
public sealed record RestoreSubsetOutlierDetection(string Namespace, string DestinationRule, string Subset) : CanaryAction;

/// <summary>A Kubernetes event on the Canary (and a log line).</summary>
public sealed record EmitEvent(EventSeverity Severity, string Reason, string Message) : CanaryAction;

public enum EventSeverity
{
    Normal,
    Warning,
}
