using System.Text.Json.Serialization;

namespace LabNet.Canary;

/// <summary>A Kubernetes-style status condition (type, status, reason, message).</summary>
public sealed record CanaryCondition(
    string Type,
    ConditionStatus Status,
    string Reason,
    string Message,
    DateTimeOffset LastTransitionTime);

[JsonConverter(typeof(JsonStringEnumConverter<ConditionStatus>))]
public enum ConditionStatus
{
    True,
    False,
    Unknown,
}

/// <summary>The condition types a Canary reports.</summary>
public static class CanaryConditionTypes
{
    /// <summary>The spec and the objects it names are usable.</summary>
    public const string Valid = "Valid";

    /// <summary>Enough current data to decide (False while holding for data or metrics).</summary>
    public const string Analysing = "Analysing";

    /// <summary>The rollout finished (promoted, rolled back or failed).</summary>
    public const string Complete = "Complete";
}
