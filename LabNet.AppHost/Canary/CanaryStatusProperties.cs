using System.Collections.Immutable;
using System.Globalization;

namespace LabNet.AppHost.Canary;

/// <summary>Turns a Canary's summary into the dashboard properties of its resource.</summary>
internal static class CanaryStatusProperties
{
    public const string Phase = "canary.phase";

    public static ImmutableArray<ResourcePropertySnapshot> From(CanarySummary canary)
    {
        var step = canary.StepIndex < 0 ? "before the ramp" : (canary.StepIndex + 1).ToString(CultureInfo.InvariantCulture);
        var decision = canary.LastDecision is { } last ? $"{last.Outcome} ({last.Reason}): {last.Message}" : "none yet";
        var properties = ImmutableArray.CreateBuilder<ResourcePropertySnapshot>();
        properties.Add(Highlighted(Phase, "Phase", canary.Phase, 0));
        properties.Add(Highlighted("canary.weight", "Weight", $"canary {canary.CanaryWeight}% / stable {canary.StableWeight}%", 1));
        properties.Add(Highlighted("canary.step", "Step", step, 2));
        properties.Add(Highlighted("canary.decision", "Last decision", decision, 3));
        properties.Add(Highlighted("canary.pending", "Pending command", canary.PendingCommand ?? "none", 4));
        if (canary.Error is { } error)
        {
            properties.Add(Highlighted("canary.error", "Error", error, 5));
        }

        return properties.ToImmutable();
    }

    /// <summary>No Canary to show: the lab has not applied it, or the controller cannot list canaries (with its reason).</summary>
    public static ImmutableArray<ResourcePropertySnapshot> Missing(string phase, string reason) =>
        [Highlighted(Phase, "Phase", phase, 0), Highlighted("canary.error", "Error", reason, 5)];

    public static string? PhaseOf(CustomResourceSnapshot snapshot) =>
        snapshot.Properties.FirstOrDefault(p => p.Name == Phase)?.Value?.ToString();

    private static ResourcePropertySnapshot Highlighted(string name, string displayName, string value, int order) =>
        new(name, value) { DisplayName = displayName, IsHighlighted = true, SortOrder = order };
}
