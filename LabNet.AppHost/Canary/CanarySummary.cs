using System.Text.Json.Nodes;

namespace LabNet.AppHost.Canary;

/// <summary>The part of a Canary's summary (<c>GET /api/canaries</c>) the dashboard shows and the commands check.</summary>
internal sealed record CanarySummary(
    string Namespace,
    string Name,
    string Phase,
    int CanaryWeight,
    int StableWeight,
    int StepIndex,
    string? PendingCommand,
    string? Error,
    CanaryDecisionSummary? LastDecision)
{
    public string Key => $"{Namespace}/{Name}";

    public static CanarySummary? Find(JsonArray canaries, string @namespace, string name) =>
        canaries.OfType<JsonObject>()
            .Where(c => Text(c, "namespace") == @namespace && Text(c, "name") == name)
            .Select(From)
            .FirstOrDefault();

    private static CanarySummary From(JsonObject canary) => new(
        Text(canary, "namespace") ?? "",
        Text(canary, "name") ?? "",
        // A Canary the controller has not handled yet has no status: it is about to initialize.
        Text(canary, "phase") ?? "Initializing",
        Number(canary, "canaryWeight") ?? 0,
        Number(canary, "stableWeight") ?? 100,
        Number(canary, "stepIndex") ?? -1,
        Text(canary, "pendingCommand"),
        Text(canary, "error"),
        canary["lastDecision"] is JsonObject decision
            ? new CanaryDecisionSummary(
                decision["at"]?.GetValue<DateTimeOffset>(),
                Text(decision, "outcome") ?? "",
                Text(decision, "reason") ?? "",
                Text(decision, "message") ?? "")
            : null);

    private static string? Text(JsonObject node, string property) =>
        node[property] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static int? Number(JsonObject node, string property) =>
        node[property] is JsonValue value && value.TryGetValue<int>(out var number) ? number : null;
}

/// <summary>The controller's last decision: what it did and why.</summary>
internal sealed record CanaryDecisionSummary(DateTimeOffset? At, string Outcome, string Reason, string Message);
