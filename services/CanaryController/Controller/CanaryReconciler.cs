using System.Diagnostics;
using System.Text.Json;
using LabNet.Canary;
using LabNet.CanaryController.Kubernetes;
using LabNet.CanaryController.Resources;
using LabNet.CanaryController.Rollout;
using LabNet.CanaryController.Serialization;
using LabNet.CanaryController.Telemetry;
using LabNet.CanaryController.Traffic;

namespace LabNet.CanaryController.Controller;

/// <summary>
/// One tick for one Canary: read it (spec, status, generation, command annotation), the VirtualService and
/// DestinationRule, and the traffic since <c>status.observedUntil</c>; run the decision core; apply its actions;
/// write status through the status subresource; emit its events; record the decision span. Status is the only state,
/// so any replica or a restarted process continues where the last write left off.
/// </summary>
public sealed partial class CanaryReconciler(
    CanaryStateMachine stateMachine,
    CanaryDecisionTelemetry telemetry,
    FlowCollectorClient flowCollector,
    TimeProvider timeProvider,
    ILogger<CanaryReconciler> logger) : IDisposable
{
    public const string SpecUnreadable = "SpecUnreadable";

    /// <summary>How soon to look again at a Canary whose spec gives no interval (unreadable).</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(5);

    private readonly ActivitySource activitySource = new(CanaryDecisionTelemetry.Name);

    /// <summary>Runs one tick. Returns when to tick again, or null when the Canary no longer exists.</summary>
    public async Task<TimeSpan?> ReconcileAsync(CanaryCluster cluster, string @namespace, string name, CancellationToken cancellationToken)
    {
        var canary = await cluster.GetCanaryAsync(@namespace, name, cancellationToken);
        if (canary is null)
        {
            return null;
        }

        using var activity = activitySource.StartActivity(ActivityKind.Internal, name: $"canary tick {canary.Key}", links: RolloutLinks(canary.Status));
        activity?.SetTag("canary.namespace", canary.Namespace);
        activity?.SetTag("canary.name", canary.Name);

        if (canary.StatusError is { } statusError)
        {
            // Guessing a status could move traffic; a person has to fix or clear it.
            LogStatusUnreadable(canary.Key, statusError);
            activity?.SetStatus(ActivityStatusCode.Error, statusError);
            return DefaultInterval;
        }

        if (canary.Spec is not { } spec)
        {
            await ReportUnreadableSpecAsync(cluster, canary, canary.SpecError ?? "spec is missing", cancellationToken);
            return DefaultInterval;
        }

        if (canary.StatusOutdated is { } outdated)
        {
            LogStatusOutdated(canary.Key, canary.Status.Phase, outdated);
        }

        var (command, handledCommand, unknownCommand) = PendingCommand(canary);
        var mesh = await IstioMeshReader.ReadAsync(cluster, spec.Target, cancellationToken);
        var observation = command is null && IsObserving(canary.Status.Phase)
            ? await flowCollector.GetTrafficAsync(Query(spec, canary.Status, mesh), cancellationToken)
            : null;

        var result = stateMachine.Tick(new CanaryTickInput(spec, canary.Status, mesh.Snapshot, observation, command, canary.Generation, canary.StatusOutdated));
        var rolloutParent = canary.Status.RolloutTraceParent;
        if (result.Status.AnalysisStartedAt is not null && result.Status.AnalysisStartedAt != canary.Status.AnalysisStartedAt)
        {
            rolloutParent = StartRolloutSpan(canary, spec);
        }

        var status = result.Status with { LastCommand = handledCommand ?? canary.Status.LastCommand, RolloutTraceParent = rolloutParent };
        var actions = result.Actions.ToList();
        if (unknownCommand is not null)
        {
            actions.Add(new EmitEvent(EventSeverity.Warning, "UnknownCommand",
                $"Annotation {CanaryCommandAnnotation.Key}: '{unknownCommand}' is not a command; use one of {string.Join(", ", CanaryCommandAnnotation.Words.Keys)} (optionally followed by @id). Nothing changed."));
        }

        var writer = new IstioMeshWriter(cluster, logger);
        foreach (var action in actions.Where(a => a is not EmitEvent))
        {
            await writer.ApplyAsync(spec.Target, action, cancellationToken);
        }

        if (!await WriteStatusIfChangedAsync(cluster, canary, status, cancellationToken))
        {
            return spec.Analysis.Interval;
        }

        foreach (var emit in actions.OfType<EmitEvent>())
        {
            await EmitAsync(cluster, canary, emit, cancellationToken);
        }

        telemetry.Record(canary.Namespace, canary.Name, result with { Status = status }, ActivityContext.TryParse(rolloutParent, null, out var root) ? root : default);
        activity?.SetTag("canary.phase", status.Phase.ToString());
        activity?.SetTag("canary.weight", status.CanaryWeight);
        return spec.Analysis.Interval;
    }

    public void Dispose() => activitySource.Dispose();

    /// <summary>Phases that analyse traffic; the others ignore an observation, so the FlowCollector is not asked.</summary>
    private static bool IsObserving(CanaryPhase phase) => phase is CanaryPhase.HeaderProbe or CanaryPhase.Progressing or CanaryPhase.Paused;

    private TrafficQuery Query(CanarySpec spec, CanaryStatus status, MeshRead mesh)
    {
        var target = spec.Target;
        var since = status.ObservedUntil ?? status.StepStartedAt ?? timeProvider.GetUtcNow() - spec.Analysis.Interval;
        var probe = spec.HeaderProbe;
        return new TrafficQuery(target.Namespace, target.Service, mesh.VersionOf(target.StableSubset), mesh.VersionOf(target.CanarySubset), since, spec.Analysis.Window,
            probe.Enabled ? probe.HeaderName : null, probe.Enabled ? probe.HeaderValue : null);
    }

    private static (CanaryCommand? Command, string? Handled, string? Unknown) PendingCommand(CanaryResource canary)
    {
        if (!canary.Annotations.TryGetValue(CanaryCommandAnnotation.Key, out var value) || value == canary.Status.LastCommand)
        {
            return (null, null, null);
        }

        return CanaryCommandAnnotation.Parse(value) is { } command ? (command, value, null) : (null, value, value);
    }

    private ActivityLink[]? RolloutLinks(CanaryStatus status) =>
        ActivityContext.TryParse(status.RolloutTraceParent, null, out var root) ? [new ActivityLink(root)] : null;

    /// <summary>The rollout's root span: a short span of its own trace that every decision span of the rollout links to.</summary>
    private string? StartRolloutSpan(CanaryResource canary, CanarySpec spec)
    {
        using var root = activitySource.StartActivity(ActivityKind.Internal, parentContext: default, name: $"canary rollout {canary.Key}");
        if (root is null)
        {
            return null;
        }

        root.SetTag("canary.namespace", canary.Namespace);
        root.SetTag("canary.name", canary.Name);
        root.SetTag("canary.service", spec.Target.Service);
        root.SetTag("canary.virtual_service", spec.Target.VirtualService);
        root.SetTag("canary.steps", string.Join(",", spec.Traffic.Ladder()));
        return root.Id;
    }

    private async Task ReportUnreadableSpecAsync(CanaryCluster cluster, CanaryResource canary, string message, CancellationToken cancellationToken)
    {
        var now = timeProvider.GetUtcNow();
        var old = canary.Status;
        if (old.Phase == CanaryPhase.Failed && old.LastDecision?.Reason == SpecUnreadable && old.LastDecision.Message.EndsWith(message, StringComparison.Ordinal) && old.ObservedGeneration == canary.Generation)
        {
            return;
        }

        // Like an invalid reference: Failed with Valid=False, traffic untouched; fixing the spec starts the rollout.
        var conditions = old.Conditions.Where(c => c.Type is not (CanaryConditionTypes.Valid or CanaryConditionTypes.Complete)).ToList();
        conditions.Add(new CanaryCondition(CanaryConditionTypes.Valid, ConditionStatus.False, SpecUnreadable, message, now));
        conditions.Add(new CanaryCondition(CanaryConditionTypes.Complete, ConditionStatus.True, SpecUnreadable, "Stopped: the Canary is invalid. Traffic was not changed.", now));
        var status = old with
        {
            Phase = CanaryPhase.Failed,
            ObservedGeneration = canary.Generation,
            Conditions = conditions,
            LastDecision = new CanaryDecision(now, DecisionOutcome.Reject, SpecUnreadable, $"Invalid Canary, traffic not changed: {message}", new DecisionEvidence { CanaryWeight = old.CanaryWeight }),
        };
        if (await WriteStatusIfChangedAsync(cluster, canary, status, cancellationToken))
        {
            await EmitAsync(cluster, canary, new EmitEvent(EventSeverity.Warning, SpecUnreadable, message), cancellationToken);
        }
    }

    private async Task<bool> WriteStatusIfChangedAsync(CanaryCluster cluster, CanaryResource canary, CanaryStatus status, CancellationToken cancellationToken)
    {
        var unchanged = canary.Wire["status"] is { } wire
            && JsonSerializer.SerializeToNode(status, CanaryJson.Options) is { } wanted
            && System.Text.Json.Nodes.JsonNode.DeepEquals(wire, wanted);
        return unchanged || await cluster.WriteStatusAsync(canary, status, cancellationToken);
    }

    private async Task EmitAsync(CanaryCluster cluster, CanaryResource canary, EmitEvent emit, CancellationToken cancellationToken)
    {
        LogDecisionEvent(canary.Key, emit.Severity, emit.Reason, emit.Message);
        try
        {
            await cluster.EmitEventAsync(canary, emit, cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The decision is in status already; a lost event must not undo it.
            LogEventFailed(canary.Key, emit.Reason, KubernetesErrors.Describe(e));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Canary {Canary}: {Severity} {Reason}: {Message}")]
    private partial void LogDecisionEvent(string canary, EventSeverity severity, string reason, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Canary {Canary}: could not create the {Reason} event: {Error}")]
    private partial void LogEventFailed(string canary, string reason, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Canary {Canary} ({Phase}): {Reason}, written by an older controller; a running analysis starts again from Initializing, a finished rollout only drops the histograms.")]
    private partial void LogStatusOutdated(string canary, CanaryPhase phase, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Canary {Canary}: {Error}. Not acting on it until the status is readable again (fix or remove .status).")]
    private partial void LogStatusUnreadable(string canary, string error);
}
