using System.Diagnostics;
using System.Diagnostics.Metrics;
using LabNet.Provisioner.Tools;

namespace LabNet.Provisioner;

/// <summary>
/// The Provisioner's spans and metrics, named <c>LabNet.Provisioner</c>. A lab operation is a span; each cluster is a
/// trace of its own linked to it (cluster -> phase -> node -> step -> tool run), every span tagged with what it is about.
/// </summary>
public sealed class ProvisionerTelemetry : IDisposable
{
    public const string Name = "LabNet.Provisioner";

    public const string ClusterTag = "labnet.cluster";
    public const string PhaseTag = "labnet.phase";
    public const string VmTag = "labnet.vm";
    public const string StepTag = "labnet.step";
    public const string ToolTag = "labnet.tool";

    private readonly ActivitySource _source = new(Name);
    private readonly Histogram<double> _toolDuration;
    private readonly Counter<long> _toolRuns;
    private readonly Histogram<double> _stepDuration;

    public ProvisionerTelemetry(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        _toolDuration = meter.CreateHistogram<double>("labnet.provisioner.tool.duration", "s", "Duration of one tool run (tart, ssh, helm).");
        _toolRuns = meter.CreateCounter<long>("labnet.provisioner.tool.runs", "{run}", "Tool runs by tool and outcome.");
        _stepDuration = meter.CreateHistogram<double>("labnet.provisioner.step.duration", "s", "Duration of provisioning steps by step and outcome (done, skipped, failed).");
    }

    public ActivitySource Source => _source;

    /// <summary>
    /// Starts the root span of one cluster's trace, linked to the lab operation running now (if any), so the dashboard
    /// lists one tree per cluster instead of one tree of thousands of spans.
    /// </summary>
    public Activity? StartClusterSpan(string cluster)
    {
        var operation = Activity.Current;
        Activity.Current = null;
        var span = _source.StartActivity(
            $"cluster {cluster}",
            ActivityKind.Internal,
            parentContext: default,
            tags: [new(ClusterTag, cluster)],
            links: operation is null ? null : [new ActivityLink(operation.Context, new ActivityTagsCollection { ["labnet.operation"] = operation.DisplayName })]);
        if (span is null)
        {
            Activity.Current = operation;
        }

        return span;
    }

    public Activity? StartToolSpan(ToolInvocation invocation)
    {
        var tool = Path.GetFileName(invocation.Executable);
        var step = Activity.Current;
        var activity = _source.StartActivity($"{tool} {invocation.Arguments.FirstOrDefault()}".TrimEnd(), ActivityKind.Client);
        if (activity is null)
        {
            return null;
        }

        activity.SetTag(ToolTag, tool);
        // The cluster, VM and step of the run, so a tool span read on its own says what it was for.
        foreach (var tag in (string[])[ClusterTag, VmTag, StepTag])
        {
            if (step?.GetTagItem(tag) is { } value)
            {
                activity.SetTag(tag, value);
            }
        }

        activity.SetTag("process.executable.name", tool);
        activity.SetTag("process.command_line", invocation.DisplayCommandLine);
        return activity;
    }

    /// <summary>
    /// Ends a tool run's span. A non-zero exit is only tagged: many runs are checks whose "no" is an answer (is kubeadm
    /// initialised yet?), and the step that cannot go on marks its own span as failed. A tool that could not be started
    /// at all is an error.
    /// </summary>
    public void CompleteToolSpan(Activity? activity, ToolInvocation invocation, ToolResult result, bool couldNotStart = false)
    {
        var tool = Path.GetFileName(invocation.Executable);
        var outcome = result.Succeeded ? "success" : "failure";
        _toolDuration.Record(result.Duration.TotalSeconds, new("tool", tool), new("outcome", outcome));
        _toolRuns.Add(1, new("tool", tool), new("outcome", outcome));

        if (activity is null)
        {
            return;
        }

        activity.SetTag("process.exit.code", result.ExitCode);
        if (couldNotStart)
        {
            activity.SetStatus(ActivityStatusCode.Error, result.ErrorSummary);
        }
    }

    public void RecordStep(Provisioning.StepId step, string outcome, TimeSpan duration) =>
        _stepDuration.Record(duration.TotalSeconds, new("cluster", step.Cluster), new("step", step.Name), new("outcome", outcome));

    public void Dispose() => _source.Dispose();
}
