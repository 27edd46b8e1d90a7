using System.Diagnostics;
using System.Diagnostics.Metrics;
using LabNet.Provisioner.Tools;

namespace LabNet.Provisioner;

/// <summary>The Provisioner's spans (lab -> cluster -> node -> step -> tool) and metrics, named <c>LabNet.Provisioner</c>.</summary>
public sealed class ProvisionerTelemetry : IDisposable
{
    public const string Name = "LabNet.Provisioner";

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

    public Activity? StartToolSpan(ToolInvocation invocation)
    {
        var activity = _source.StartActivity($"{Path.GetFileName(invocation.Executable)} {invocation.Arguments.FirstOrDefault()}".TrimEnd(), ActivityKind.Client);
        activity?.SetTag("process.executable.name", Path.GetFileName(invocation.Executable));
        activity?.SetTag("process.command_line", invocation.DisplayCommandLine);
        return activity;
    }

    public void CompleteToolSpan(Activity? activity, ToolInvocation invocation, ToolResult result)
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
        if (!result.Succeeded)
        {
            activity.SetStatus(ActivityStatusCode.Error, result.ErrorSummary);
        }
    }

    public void RecordStep(Provisioning.StepId step, string outcome, TimeSpan duration) =>
        _stepDuration.Record(duration.TotalSeconds, new("cluster", step.Cluster), new("step", step.Name), new("outcome", outcome));

    public void Dispose() => _source.Dispose();
}
