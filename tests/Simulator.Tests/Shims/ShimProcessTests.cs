using System.Diagnostics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LabNet.Simulator.Host;
using LabNet.Simulator.Tests.LabWorld;

namespace LabNet.Simulator.Tests.Shims;

/// <summary>The real shim executables (artifacts/shims/tart, ssh, helm) against a simulator listening on loopback.</summary>
public sealed class ShimProcessTests : IAsyncLifetime
{
    private static readonly TimeSpan ProcessTimeout = TimeSpan.FromSeconds(60);
    private readonly LabWorldFactory _world = new();
    private readonly List<Process> _started = [];
    private string _url = "";

    public ValueTask InitializeAsync()
    {
        _world.UseKestrel(0);
        _world.StartServer();
        using var client = _world.CreateClient();
        _url = client.BaseAddress!.ToString().TrimEnd('/');
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync()
    {
        // Long-lived tart run shims still hold their connection: end them before the server stops.
        foreach (var process in _started)
        {
            try
            {
                process.Kill();
                await process.WaitForExitAsync().WaitAsync(ProcessTimeout);
            }
            catch (InvalidOperationException)
            {
                // Already exited (and disposed).
            }
        }

        await _world.DisposeAsync();
    }

    private static string Shim(string tool) => Path.Combine(LabSpec.RepositoryRoot, "artifacts", "shims", tool);

    private Process Start(string tool, IEnumerable<string> args, string? url = null, Dictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(Shim(tool))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["LABNET_SIMULATOR_URL"] = url ?? _url;
        // The shims are framework-dependent apphosts: point them at this runtime when .NET is not in a default place.
        if (!info.Environment.TryGetValue("DOTNET_ROOT", out var root) || string.IsNullOrEmpty(root))
        {
            info.Environment["DOTNET_ROOT"] = Path.GetFullPath(Path.Combine(System.Runtime.InteropServices.RuntimeEnvironment.GetRuntimeDirectory(), "..", "..", ".."));
        }
        foreach (var (key, value) in environment ?? [])
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info)!;
        _started.Add(process);
        return process;
    }

    private async Task<ToolResult> Run(string tool, IEnumerable<string> args, string stdin = "", string? url = null, Dictionary<string, string>? environment = null)
    {
        using var process = Start(tool, args, url, environment);
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(ProcessTimeout);
        return new ToolResult(await stdout, await stderr, process.ExitCode);
    }

    /// <summary>
    /// Starts a long-lived <c>tart run vm</c> shim and waits until the simulator has the VM running: the run and a
    /// following <c>tart ip</c> are separate processes, and at this clock speed <c>--wait</c> is over in microseconds.
    /// </summary>
    private async Task<Process> StartTartRunAsync(params string[] options)
    {
        var run = Start("tart", ["run", "vm", "--no-graphics", .. options]);
        var host = _world.Service<MacHost>();
        for (var deadline = DateTime.UtcNow + ProcessTimeout; DateTime.UtcNow < deadline && host.FindVm("vm")!.State is not Simulator.Host.VmState.Running;)
        {
            await Task.Delay(10);
        }

        Assert.Equal(Simulator.Host.VmState.Running, host.FindVm("vm")!.State);
        return run;
    }

    [Fact]
    public async Task The_tart_shim_prints_what_the_simulator_answers_and_exits_with_its_code()
    {
        var clone = await Run("tart", ["clone", "ghcr.io/cirruslabs/ubuntu:latest", "vm"]);
        Assert.Equal(0, clone.ExitCode);
        Assert.StartsWith("pulling ghcr.io/cirruslabs/ubuntu:latest...\n", clone.Stdout);
        Assert.Equal(new ToolResult("vm\n", "", 0), await Run("tart", ["list", "--source", "local", "-q"]));
        Assert.Equal(new ToolResult("", "the specified VM \"nope\" does not exist\n", 2), await Run("tart", ["get", "nope"]));
    }

    [Fact]
    public async Task The_sshpass_shim_logs_in_with_SSHPASS_and_forwards_stdin_to_ssh()
    {
        await Run("tart", ["clone", "ghcr.io/cirruslabs/ubuntu:latest", "vm"]);
        await StartTartRunAsync("--net-softnet-allow=0.0.0.0/0");
        var ip = (await Run("tart", ["ip", "vm", "--wait", "60"])).Stdout.Trim();
        string[] ssh = ["ssh", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", $"admin@{ip}", "sudo bash -s"];

        var result = await Run("sshpass", ["-e", .. ssh], "hostnamectl set-hostname dev-master\nhostname\nwhoami\n",
            environment: new() { ["SSHPASS"] = "admin" });

        Assert.Equal(new ToolResult("dev-master\nroot\n", "", 0), result);
    }

    [Fact]
    public async Task The_ssh_shim_alone_does_not_take_a_password_from_the_environment()
    {
        await Run("tart", ["clone", "ghcr.io/cirruslabs/ubuntu:latest", "vm"]);
        await StartTartRunAsync("--net-softnet-allow=0.0.0.0/0");
        var ip = (await Run("tart", ["ip", "vm", "--wait", "60"])).Stdout.Trim();

        var result = await Run("ssh", ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR", $"admin@{ip}", "echo ok"],
            environment: new() { ["SSHPASS"] = "admin" });

        Assert.Equal(new ToolResult("", $"admin@{ip}: Permission denied (publickey,password).\n", 255), result);
    }

    [Fact]
    public async Task Killing_tart_run_stops_the_vm()
    {
        await Run("tart", ["clone", "ghcr.io/cirruslabs/ubuntu:latest", "vm"]);
        var run = await StartTartRunAsync();
        Assert.Equal(0, (await Run("tart", ["ip", "vm", "--wait", "60"])).ExitCode);

        run.Kill();
        await run.WaitForExitAsync().WaitAsync(ProcessTimeout);

        var host = _world.Service<MacHost>();
        // Generous: on a loaded machine the killed process's connection may take a while to be noticed.
        for (var deadline = DateTime.UtcNow.AddSeconds(30); DateTime.UtcNow < deadline && host.FindVm("vm")!.State is not Simulator.Host.VmState.Stopped;)
        {
            await Task.Delay(10);
        }

        Assert.Equal(Simulator.Host.VmState.Stopped, host.FindVm("vm")!.State);
    }

    [Fact]
    public async Task A_shim_whose_simulator_is_unreachable_fails_with_255()
    {
        var result = await Run("helm", ["list"], url: "http://127.0.0.1:9");

        Assert.Equal(255, result.ExitCode);
        Assert.StartsWith("helm: cannot reach the LabNet simulator at http://127.0.0.1:9: ", result.Stderr);
    }

    [Fact]
    public async Task A_shim_without_LABNET_SIMULATOR_URL_says_what_to_set()
    {
        using var process = Start("tart", ["list"], url: "");
        process.StandardInput.Close();
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(ProcessTimeout);

        Assert.Equal(255, process.ExitCode);
        Assert.StartsWith("tart: LABNET_SIMULATOR_URL is not set.", stderr);
    }

    [Fact]
    public async Task A_shim_writes_each_frame_as_it_arrives_and_reassembles_frames_cut_anywhere()
    {
        await using var peer = new ScriptedHttpPeer();
        using var process = Start("ssh", ["admin@192.168.64.2", "sudo bash -s"], url: peer.Url);
        await process.StandardInput.WriteAsync("hostname\n");
        process.StandardInput.Close();

        var request = await peer.ReceiveRequestAsync();
        Assert.StartsWith("POST /tools/ssh HTTP/1.0\r\n", request);
        Assert.Contains("{\"argv\":[\"admin@192.168.64.2\",\"sudo bash -s\"],\"stdin\":\"hostname\\n\",", request);

        // The first frame reaches the shim's stdout while the call is still open: a long tart run streams.
        await peer.SendAsync("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Type: application/x-ndjson\r\n\r\n{\"o\":\"first\\n\"}\n");
        Assert.Equal("first", await process.StandardOutput.ReadLineAsync().WaitAsync(ProcessTimeout));

        // More than the shim reads at once, in raw UTF-8 (as a relaxed JSON encoder writes it) and cut every 7777 bytes,
        // mid-character and mid-frame.
        var large = string.Concat(Enumerable.Repeat("é→x ", 30_000));
        var rest = Encoding.UTF8.GetBytes(
            JsonSerializer.Serialize(new Dictionary<string, string> { ["o"] = large }, new JsonSerializerOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) +
            "\n{\"e\":\"warning: \\u00e9\\n\"}\n{\"x\":3}\n");
        foreach (var piece in rest.Chunk(7777))
        {
            await peer.SendAsync(piece);
        }

        peer.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(ProcessTimeout);
        Assert.Equal(new ToolResult(large, "warning: é\n", 3), new ToolResult(await stdout, await stderr, process.ExitCode));
    }

    [Fact]
    public async Task A_shim_whose_simulator_answers_an_error_status_prints_it_and_fails_with_255()
    {
        var (result, url) = await RunAgainstAnswerAsync("tart", ["list"], "HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\n\r\nthe world broke");

        Assert.Equal(new ToolResult("", $"tart: the LabNet simulator at {url} answered 500: the world broke\n", 255), result);
    }

    [Fact]
    public async Task A_shim_whose_simulator_closes_before_the_exit_code_fails_with_255()
    {
        var (result, url) = await RunAgainstAnswerAsync("helm", ["list"], "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{\"o\":\"NAME\\n\"}\n{\"o\":\"par");

        Assert.Equal(new ToolResult("NAME\n", $"helm: the LabNet simulator at {url} closed the connection before the command finished\n", 255), result);
    }

    /// <summary>Runs a shim against a peer that answers its request with exactly <paramref name="answer"/>, then closes.</summary>
    private async Task<(ToolResult Result, string Url)> RunAgainstAnswerAsync(string tool, string[] args, string answer)
    {
        await using var peer = new ScriptedHttpPeer();
        var run = Run(tool, args, url: peer.Url);
        await peer.ReceiveRequestAsync();
        await peer.SendAsync(answer);
        peer.Close();
        return (await run, peer.Url);
    }
}
