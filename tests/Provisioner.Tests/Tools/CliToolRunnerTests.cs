using System.Diagnostics;
using LabNet.Provisioner.Tools;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;

namespace LabNet.Provisioner.Tests.Tools;

[Collection(SpanCollection.Name)]
public sealed class CliToolRunnerTests : IDisposable
{
    private readonly TestMeterFactory _meters = new();
    private readonly ProvisionerTelemetry _telemetry;
    private readonly List<Activity> _spans = [];
    private readonly ActivityListener _listener;

    public CliToolRunnerTests()
    {
        _telemetry = new ProvisionerTelemetry(_meters);
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ProvisionerTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _spans.Add,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [Fact]
    public async Task A_failing_tool_is_a_result_with_its_exit_code_and_both_streams()
    {
        var runner = Runner();

        var result = await runner.RunAsync(new ToolInvocation("/bin/sh", ["-c", "echo out; echo err >&2; exit 3"]), Timeout());

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("out\n", result.StandardOutput);
        Assert.Equal("err\n", result.StandardError);
        Assert.Equal("err", result.ErrorSummary);
    }

    [Fact]
    public async Task Secrets_never_reach_output_spans_or_the_display_command_line()
    {
        var runner = Runner();
        var invocation = new ToolInvocation(
            "/bin/sh",
            ["-c", "echo \"password is $SSHPASS\"; echo \"$1\" >&2", "sh", "hunter2"],
            Environment: new Dictionary<string, string> { ["SSHPASS"] = "hunter2" },
            Secrets: ["hunter2"]);

        var result = await runner.RunAsync(invocation, Timeout());

        Assert.Equal("password is ***\n", result.StandardOutput);
        Assert.Equal("***\n", result.StandardError);
        Assert.DoesNotContain("hunter2", invocation.DisplayCommandLine);
        var span = Assert.Single(_spans);
        Assert.DoesNotContain("hunter2", (string?)span.GetTagItem("process.command_line"));
        Assert.Equal(0, span.GetTagItem("process.exit.code"));
    }

    [Fact]
    public async Task Configured_tool_environment_reaches_every_run_and_invocations_can_add_to_it()
    {
        var tools = new ToolPathsOptions { Environment = { ["LAB_STATE"] = "/var/lab" } };

        var result = await Runner(tools).RunAsync(new ToolInvocation("/bin/sh", ["-c", "echo $LAB_STATE $EXTRA"],
            Environment: new Dictionary<string, string> { ["EXTRA"] = "yes" }), Timeout());

        Assert.Equal("/var/lab yes\n", result.StandardOutput);
    }

    [Fact]
    public async Task Standard_input_reaches_the_process()
    {
        var result = await Runner().RunAsync(new ToolInvocation("/bin/sh", ["-s"], StandardInput: "echo from-stdin\nexit 0\n"), Timeout());

        Assert.Equal("from-stdin\n", result.StandardOutput);
    }

    [Fact]
    public async Task A_non_zero_exit_is_an_answer_tagged_on_the_span_not_an_error()
    {
        var result = await Runner().RunAsync(new ToolInvocation("/bin/sh", ["-c", "exit 3"]), Timeout());

        Assert.Equal(3, result.ExitCode);
        var span = Assert.Single(_spans);
        Assert.Equal(ActivityStatusCode.Unset, span.Status);
        Assert.Equal(3, span.GetTagItem("process.exit.code"));
    }

    [Fact]
    public async Task A_missing_executable_fails_like_a_shell_does()
    {
        var result = await Runner().RunAsync(new ToolInvocation("/nonexistent/tart", ["list"]), Timeout());

        Assert.Equal(127, result.ExitCode);
        Assert.Contains("/nonexistent/tart", result.StandardError);
        Assert.Equal(ActivityStatusCode.Error, Assert.Single(_spans).Status);
    }

    [Fact]
    public async Task A_long_lived_tool_keeps_running_after_start_returns_until_it_exits_by_itself()
    {
        var marker = Path.Combine(Path.GetTempPath(), $"labnet-stop-{Guid.NewGuid():N}");
        var running = Runner().StartAsync(new ToolInvocation("/bin/sh", ["-c", $"while [ ! -f {marker} ]; do sleep 0.05; done; echo stopped"]));

        await Task.Delay(300);
        Assert.False(running.IsCompleted);

        await File.WriteAllTextAsync(marker, "");
        var result = await running.WaitAsync(TimeSpan.FromSeconds(20));
        File.Delete(marker);
        Assert.Equal(0, result.ExitCode);
        Assert.Equal("stopped\n", result.StandardOutput);
    }

    [Fact]
    public void The_display_command_line_quotes_like_a_shell()
    {
        var invocation = new ToolInvocation("/usr/local/bin/ssh", ["-o", "ConnectTimeout=10", "admin@192.168.65.2", "sudo bash -s"]);

        Assert.Equal("ssh -o ConnectTimeout=10 admin@192.168.65.2 'sudo bash -s'", invocation.DisplayCommandLine);
    }

    private CliToolRunner Runner(ToolPathsOptions? tools = null) =>
        new(_telemetry, Microsoft.Extensions.Options.Options.Create(tools ?? new ToolPathsOptions()), TimeProvider.System, NullLogger<CliToolRunner>.Instance);

    private static CancellationToken Timeout() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    public void Dispose()
    {
        _listener.Dispose();
        _telemetry.Dispose();
        _meters.Dispose();
    }
}
