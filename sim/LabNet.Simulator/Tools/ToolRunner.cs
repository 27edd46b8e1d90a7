using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Text;
using LabNet.Simulator.Clock;

namespace LabNet.Simulator.Tools;

/// <summary>Runs one tool call: finds the tool, measures its modeled time, traces it and records it.</summary>
public sealed class ToolRunner
{
    public static readonly ActivitySource ActivitySource = new("LabNet.Simulator");

    private readonly Dictionary<string, ITool> _tools;
    private readonly SimulationClock _clock;
    private readonly ModeledStepLog _log;
    private readonly ILogger<ToolRunner> _logger;
    private readonly Counter<long> _calls;
    private readonly Histogram<double> _modeled;

    public ToolRunner(IEnumerable<ITool> tools, SimulationClock clock, ModeledStepLog log, IMeterFactory meters, ILogger<ToolRunner> logger)
    {
        _tools = tools.ToDictionary(t => t.Name, StringComparer.Ordinal);
        _clock = clock;
        _log = log;
        _logger = logger;
        var meter = meters.Create("LabNet.Simulator");
        _calls = meter.CreateCounter<long>("labnet.simulator.tool.calls", "{call}", "Tool calls answered by the simulator, by tool and exit code.");
        _modeled = meter.CreateHistogram<double>("labnet.simulator.tool.modeled_duration", "s", "Modeled time each tool call took.");
    }

    public bool Knows(string tool) => _tools.ContainsKey(tool);

    public async Task<int> RunAsync(string toolName, ToolInvocation invocation, ToolOutput output, CancellationToken callerGone)
    {
        var tool = _tools[toolName];
        var command = Describe(toolName, invocation);
        using var activity = ActivitySource.StartActivity($"{toolName} {invocation.Argv.FirstOrDefault()}");
        activity?.SetTag("labnet.tool", toolName);
        activity?.SetTag("labnet.command", command);

        var startedAt = _clock.Now;
        var wall = Stopwatch.StartNew();
        var meter = _clock.StartStep();
        int exitCode;
        try
        {
            exitCode = await tool.RunAsync(invocation, output, callerGone);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug in the twin must not look like a tool's answer: say so and fail like a crashed program.
            _logger.LogError(ex, "Simulated {Tool} crashed on {Command}", toolName, command);
            output.Error.WriteLine($"{toolName}: internal error of the LabNet simulator: {ex.Message}");
            exitCode = 70;
        }

        var modeledEnd = _clock.CompleteStep(meter);
        var modeled = (modeledEnd - meter.Start).TotalSeconds;
        activity?.SetTag("labnet.exit_code", exitCode);
        activity?.SetTag("labnet.modeled_seconds", modeled);
        _log.Add(new ModeledStep(toolName, command, startedAt, modeled, wall.Elapsed.TotalMilliseconds, exitCode, meter.Start, modeledEnd));
        var tags = new TagList { { "tool", toolName }, { "exit_code", exitCode } };
        _calls.Add(1, tags);
        _modeled.Record(modeled, tags);
        return exitCode;
    }

    /// <summary>The command line for logs and traces: argv only (passwords travel in the environment, never here).</summary>
    private static string Describe(string tool, ToolInvocation invocation)
    {
        var sb = new StringBuilder(tool);
        foreach (var arg in invocation.Argv)
        {
            var shown = arg.Length > 200 ? arg[..200] + "..." : arg;
            sb.Append(' ').Append(shown.Contains(' ') || shown.Contains('\n') ? "'" + shown.Replace("\n", "\\n") + "'" : shown);
        }

        if (invocation.Stdin.Length > 0)
        {
            sb.Append($" < ({invocation.Stdin.Length} bytes of stdin)");
        }

        return sb.ToString();
    }
}
