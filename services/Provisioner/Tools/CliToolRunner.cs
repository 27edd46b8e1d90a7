using System.Diagnostics;
using System.Text;
using CliWrap;
using Microsoft.Extensions.Options;

namespace LabNet.Provisioner.Tools;

/// <summary>
/// Runs tools through CliWrap, each run a span with the redacted command line, exit code and duration.
/// The same code runs against the real tools and against the simulator's shims.
/// </summary>
public sealed partial class CliToolRunner(ProvisionerTelemetry telemetry, IOptions<ToolPathsOptions> tools, TimeProvider time, ILogger<CliToolRunner> logger) : IToolRunner
{
    public async Task<ToolResult> RunAsync(ToolInvocation invocation, CancellationToken cancellationToken)
    {
        using var activity = telemetry.StartToolSpan(invocation);
        var started = time.GetTimestamp();
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();

        int exitCode;
        var couldNotStart = false;
        try
        {
            var result = await Command(invocation, stdout, stderr).ExecuteAsync(cancellationToken);
            exitCode = result.ExitCode;
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            // The executable does not exist or cannot run: report it like a shell would, not as a crash.
            exitCode = 127;
            couldNotStart = true;
            stderr.Append($"{invocation.Executable}: {ex.Message}");
        }

        var toolResult = new ToolResult(
            exitCode,
            invocation.Redact(stdout.ToString()),
            invocation.Redact(stderr.ToString()),
            time.GetElapsedTime(started));

        telemetry.CompleteToolSpan(activity, invocation, toolResult, couldNotStart);
        LogRun(invocation.DisplayCommandLine, toolResult.ExitCode, toolResult.Duration.TotalMilliseconds);
        return toolResult;
    }

    public Task<ToolResult> StartAsync(ToolInvocation invocation)
    {
        LogStart(invocation.DisplayCommandLine);
        var stdout = new StringBuilder();
        var stderr = new StringBuilder();
        var started = time.GetTimestamp();

        var commandTask = Command(invocation, stdout, stderr).ExecuteAsync(CancellationToken.None);

        return WaitAsync();

        async Task<ToolResult> WaitAsync()
        {
            int exitCode;
            try
            {
                exitCode = (await commandTask).ExitCode;
            }
            catch (System.ComponentModel.Win32Exception ex)
            {
                exitCode = 127;
                stderr.Append($"{invocation.Executable}: {ex.Message}");
            }

            var result = new ToolResult(exitCode, invocation.Redact(stdout.ToString()), invocation.Redact(stderr.ToString()), time.GetElapsedTime(started));
            LogExit(invocation.DisplayCommandLine, result.ExitCode);
            return result;
        }
    }

    private Command Command(ToolInvocation invocation, StringBuilder stdout, StringBuilder stderr)
    {
        var command = Cli.Wrap(invocation.Executable)
            .WithArguments(invocation.Arguments)
            .WithValidation(CommandResultValidation.None)
            .WithStandardOutputPipe(PipeTarget.ToStringBuilder(stdout))
            .WithStandardErrorPipe(PipeTarget.ToStringBuilder(stderr));

        if (invocation.StandardInput is not null)
        {
            command = command.WithStandardInputPipe(PipeSource.FromString(invocation.StandardInput));
        }

        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in tools.Value.Environment)
        {
            environment[name] = value;
        }

        foreach (var (name, value) in invocation.Environment ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        if (environment.Count > 0)
        {
            command = command.WithEnvironmentVariables(environment);
        }

        return command;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{CommandLine} exited {ExitCode} after {Milliseconds} ms")]
    private partial void LogRun(string commandLine, int exitCode, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Started {CommandLine}")]
    private partial void LogStart(string commandLine);

    [LoggerMessage(Level = LogLevel.Information, Message = "{CommandLine} exited {ExitCode}")]
    private partial void LogExit(string commandLine, int exitCode);
}
