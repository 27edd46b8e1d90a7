using System.Collections.Concurrent;
using LabNet.Provisioner.Tools;

namespace LabNet.Provisioner.Provisioning.Steps;

/// <summary>
/// The <c>tart run</c> processes this Provisioner started. A VM lives as long as its process, which is why they are
/// kept here (observed, logged when they end) rather than left as forgotten tasks.
/// </summary>
public sealed partial class RunningVms(ILogger<RunningVms> logger)
{
    private readonly ConcurrentDictionary<string, Task<ToolResult>> _processes = new(StringComparer.Ordinal);

    public Task<ToolResult> Start(string vm, Task<ToolResult> process)
    {
        _processes[vm] = process;
        _ = process.ContinueWith(done =>
        {
            _processes.TryRemove(new KeyValuePair<string, Task<ToolResult>>(vm, process));
            if (done.IsCompletedSuccessfully)
            {
                LogExited(vm, done.Result.ExitCode, done.Result.ErrorSummary);
            }
        }, TaskScheduler.Default);
        return process;
    }

    public IReadOnlyCollection<string> Names => _processes.Keys.ToList();

    [LoggerMessage(Level = LogLevel.Information, Message = "tart run {Vm} exited {ExitCode}: {Output}")]
    private partial void LogExited(string vm, int exitCode, string output);
}
