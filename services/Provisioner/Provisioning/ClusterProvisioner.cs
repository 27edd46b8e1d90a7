using System.Diagnostics;
using Microsoft.Extensions.Options;

namespace LabNet.Provisioner.Provisioning;

/// <summary>
/// Runs one cluster's plan: phases in order, the sequences of a phase in parallel, each step checked before it acts
/// and retried with backoff when it fails transiently. Each cluster is a trace of its own (cluster -> phase -> node ->
/// step -> tool run), linked to the lab operation's span: a long apply reads as one tree per cluster in the dashboard.
/// </summary>
public sealed partial class ClusterProvisioner(
    ProvisionerTelemetry telemetry,
    LabProgress progress,
    IOptions<RetryOptions> retry,
    TimeProvider time,
    ILogger<ClusterProvisioner> logger)
{
    /// <summary>Applies the plan; returns null on success or the error that stopped the cluster.</summary>
    public async Task<string?> ApplyAsync(ClusterPlan plan, ClusterContext context, CancellationToken cancellationToken)
    {
        var cluster = plan.Cluster.Name;
        using var clusterSpan = telemetry.StartClusterSpan(cluster);
        progress.Started(cluster);

        try
        {
            foreach (var phase in plan.Phases)
            {
                progress.Update(cluster, p => p with { Phase = phase.Name });
                using var phaseSpan = telemetry.Source.StartActivity($"phase {phase.Name}");
                phaseSpan?.SetTag(ProvisionerTelemetry.ClusterTag, cluster);
                phaseSpan?.SetTag(ProvisionerTelemetry.PhaseTag, phase.Name);
                await Task.WhenAll(phase.Sequences.Select(sequence => RunSequenceAsync(phase, sequence, context, cancellationToken)));
            }

            progress.Finished(cluster, null);
            LogClusterDone(cluster);
            return null;
        }
        catch (Exception ex) when (ex is PermanentStepException or TransientStepException or ToolFailedException)
        {
            clusterSpan?.SetStatus(ActivityStatusCode.Error, ex.Message);
            progress.Finished(cluster, ex.Message);
            LogClusterFailed(cluster, ex.Message);
            return ex.Message;
        }
    }

    private async Task RunSequenceAsync(ProvisioningPhase phase, StepSequence sequence, ClusterContext context, CancellationToken cancellationToken)
    {
        using var nodeSpan = sequence.Node is null ? null : telemetry.Source.StartActivity($"node {sequence.Node}");
        nodeSpan?.SetTag(ProvisionerTelemetry.ClusterTag, context.Cluster.Name);
        nodeSpan?.SetTag(ProvisionerTelemetry.VmTag, sequence.Node);
        nodeSpan?.SetTag(ProvisionerTelemetry.PhaseTag, phase.Name);

        foreach (var step in sequence.Steps)
        {
            await RunStepAsync(step, context, cancellationToken);
        }
    }

    private async Task RunStepAsync(IProvisioningStep step, ClusterContext context, CancellationToken cancellationToken)
    {
        using var span = telemetry.Source.StartActivity($"step {step.Id.Name}");
        span?.SetTag(ProvisionerTelemetry.ClusterTag, step.Id.Cluster);
        span?.SetTag(ProvisionerTelemetry.VmTag, step.Id.Node);
        span?.SetTag(ProvisionerTelemetry.StepTag, step.Id.ToString());
        span?.SetTag("labnet.step.description", step.Description);
        progress.Update(step.Id.Cluster, p => p with { CurrentStep = step.Id.ToString() });
        var started = time.GetTimestamp();

        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var done = step.ChangesWorld && await step.IsDoneAsync(context, cancellationToken);
                if (!done)
                {
                    await step.RunAsync(context, cancellationToken);
                }

                span?.SetTag("labnet.step.skipped", done);
                span?.SetTag("labnet.step.attempts", attempt);
                telemetry.RecordStep(step.Id, done ? "skipped" : "done", time.GetElapsedTime(started));
                progress.StepCompleted(step.Id, done);
                return;
            }
            catch (Exception ex) when (IsTransient(ex, cancellationToken) && attempt < retry.Value.MaxAttempts)
            {
                var delay = retry.Value.DelayAfter(attempt);
                span?.AddEvent(new ActivityEvent("retry", tags: new ActivityTagsCollection { ["attempt"] = attempt, ["error"] = ex.Message }));
                LogRetry(step.Id.ToString(), attempt, delay.TotalSeconds, ex.Message);
                await Task.Delay(delay, time, cancellationToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Whatever went wrong, it stops this cluster at this step with its message, never the whole lab.
                span?.SetTag("labnet.step.attempts", attempt);
                span?.SetStatus(ActivityStatusCode.Error, ex.Message);
                telemetry.RecordStep(step.Id, "failed", time.GetElapsedTime(started));
                throw new PermanentStepException(
                    attempt > 1 ? $"{step.Id} failed after {attempt} attempts: {ex.Message}" : $"{step.Id} failed: {ex.Message}", ex);
            }
        }
    }

    // A tool that fails unexpectedly (not classified by the step) is retried too: tools fail for passing reasons, and so
    // do API servers (a connection reset or a 5xx the client's own retries did not outlast, a request timing out).
    private static bool IsTransient(Exception ex, CancellationToken cancellationToken) => ex switch
    {
        TransientStepException or ToolFailedException or HttpRequestException or IOException => true,
        k8s.Autorest.HttpOperationException { Response.StatusCode: var status } => (int)status >= 500 || (int)status == 429,
        OperationCanceledException => !cancellationToken.IsCancellationRequested,
        _ => false,
    };

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Step} failed (attempt {Attempt}), retrying in {Seconds} s: {Error}")]
    private partial void LogRetry(string step, int attempt, double seconds, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "Cluster {Cluster} is provisioned")]
    private partial void LogClusterDone(string cluster);

    [LoggerMessage(Level = LogLevel.Error, Message = "Cluster {Cluster} stopped: {Error}")]
    private partial void LogClusterFailed(string cluster, string error);
}
