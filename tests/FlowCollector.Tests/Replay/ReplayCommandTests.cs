using System.Text;
using System.Text.Json;
using LabNet.FlowCollector.Replay;
using LabNet.FlowCollector.Tests.Support;

namespace LabNet.FlowCollector.Tests.Replay;

public sealed class ReplayCommandTests
{
    [Fact]
    public async Task Replay_of_a_capture_prints_the_totals_it_would_export_and_exits_0()
    {
        var (exitCode, stdout, _) = await RunAsync("replay", Capture.PathOf(Capture.L7Http));

        Assert.Equal(0, exitCode);
        using var json = JsonDocument.Parse(stdout);
        var root = json.RootElement;
        var expected = IndependentCounts.Of(Capture.PathOf(Capture.L7Http));
        Assert.Equal(expected.Flows, root.GetProperty("flows").GetInt64());
        Assert.Equal(0, root.GetProperty("malformedLines").GetInt64());
        Assert.Equal(expected.ByVerdict, ToDictionary(root.GetProperty("flowsByVerdict")));
        Assert.Equal(expected.HttpByMethod, ToDictionary(root.GetProperty("httpRequestsByMethod")));
        Assert.Equal(expected.HttpByStatus, ToDictionary(root.GetProperty("httpRequestsByStatus")));
        Assert.Equal(expected.HttpByDestinationVersion, ToDictionary(root.GetProperty("httpRequestsByDestinationVersion")));
        Assert.Equal(new Dictionary<string, long> { ["L7"] = expected.Flows }, ToDictionary(root.GetProperty("flowsByType")));
    }

    [Fact]
    public async Task Replay_of_a_directory_reads_every_capture()
    {
        var (exitCode, stdout, stderr) = await RunAsync("replay", Capture.Directory);

        Assert.Equal(0, exitCode);
        using var json = JsonDocument.Parse(stdout);
        var all = Directory.GetFiles(Capture.Directory).Order(StringComparer.Ordinal).ToArray();
        var expected = IndependentCounts.Of(all);
        Assert.Equal(expected.Flows, json.RootElement.GetProperty("flows").GetInt64());
        Assert.Equal(expected.DropsByReason, ToDictionary(json.RootElement.GetProperty("dropsByReason")));
        Assert.Equal(all, json.RootElement.GetProperty("inputs").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(6, json.RootElement.GetProperty("malformedLines").GetInt64());
        Assert.Contains("malformed.json:2: skipped a line that is not a Hubble event", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Malformed_lines_are_reported_with_file_and_line_and_do_not_fail_the_replay()
    {
        var (exitCode, stdout, stderr) = await RunAsync("replay", Capture.PathOf(Capture.Malformed));

        Assert.Equal(0, exitCode);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(6, json.RootElement.GetProperty("malformedLines").GetInt64());
        Assert.Equal(42, json.RootElement.GetProperty("lostEvents").GetInt64());
        Assert.Equal([2L, 4, 5, 6, 9, 10], json.RootElement.GetProperty("malformed").EnumerateArray().Select(m => m.GetProperty("line").GetInt64()));
        Assert.Contains($"{Capture.PathOf(Capture.Malformed)}:5: skipped a line that is not a Hubble event: flow.verdict: 'MAYBE'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_reads_standard_input_when_given_a_dash()
    {
        var capture = await File.ReadAllBytesAsync(Capture.PathOf(Capture.Drops));

        var (exitCode, stdout, _) = await RunAsync(["replay", "-"], () => new MemoryStream(capture));

        Assert.Equal(0, exitCode);
        using var json = JsonDocument.Parse(stdout);
        Assert.Equal(3, json.RootElement.GetProperty("dropsByReason").GetProperty("POLICY_DENIED").GetInt64());
    }

    [Fact]
    public async Task Replay_of_a_missing_input_fails_with_a_clear_message()
    {
        var missing = Path.Combine(Capture.Directory, "no-such-capture.json");

        var (exitCode, stdout, stderr) = await RunAsync("replay", missing);

        Assert.Equal(1, exitCode);
        Assert.Equal("", stdout);
        Assert.Equal($"replay: cannot open '{missing}': no such file or directory{Environment.NewLine}", stderr);
    }

    [Fact]
    public async Task Replay_without_an_input_prints_its_usage()
    {
        var (exitCode, _, stderr) = await RunAsync("replay");

        Assert.Equal(2, exitCode);
        Assert.StartsWith("usage: FlowCollector replay <file|dir|->", stderr, StringComparison.Ordinal);
    }

    private static Task<(int, string, string)> RunAsync(params string[] args) => RunAsync(args, () => new MemoryStream());

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(string[] args, Func<Stream> stdin)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exitCode = await ReplayCommand.RunAsync(args, stdout, stderr, stdin, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        return (exitCode, stdout.ToString(), stderr.ToString());
    }

    private static Dictionary<string, long> ToDictionary(JsonElement element) =>
        element.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
}
