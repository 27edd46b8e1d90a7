using LabNet.Simulator.Tests.LabWorld;

namespace LabNet.Simulator.Tests.Guest;

/// <summary><c>sshpass -e ssh ...</c>, the way the Provisioner logs in: the password never travels in argv.</summary>
public sealed class SshPassTests : IAsyncLifetime
{
    private static readonly string[] SshOptions = ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR"];
    private readonly LabWorldFactory _world = new();
    private ToolClient _tools = null!;
    private string _ip = "";

    public async ValueTask InitializeAsync()
    {
        _tools = _world.Tools();
        await _tools.Tart("clone", "ghcr.io/cirruslabs/ubuntu:latest", "vm");
        _ = _tools.StartRun("vm", "--no-graphics", "--net-softnet-allow=0.0.0.0/0");
        _ip = (await _tools.Tart("ip", "vm", "--wait", "60")).Stdout.Trim();
    }

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task The_password_from_SSHPASS_logs_in_and_the_command_runs()
    {
        var result = await _tools.RunAsync("sshpass", ["-e", "ssh", .. SshOptions, $"admin@{_ip}", "echo ok"]);

        Assert.Equal(new ToolResult("ok\n", "", 0), result);
    }

    [Fact]
    public async Task A_script_on_stdin_runs_as_root_with_sudo_bash()
    {
        var result = await _tools.RunAsync("sshpass", ["-e", "ssh", .. SshOptions, $"admin@{_ip}", "sudo bash -s"], "id -u\n");

        Assert.Equal(new ToolResult("0\n", "", 0), result);
    }

    [Fact]
    public async Task An_agent_with_many_keys_uses_up_the_auth_tries_unless_ssh_goes_straight_to_the_password()
    {
        _world.Service<LabNet.Simulator.Faults.FaultInjector>().Add(new(LabNet.Simulator.Faults.FaultKind.SshAgentKeys, null, 10));

        var keysFirst = await _tools.RunAsync("sshpass", ["-e", "ssh", .. SshOptions, $"admin@{_ip}", "echo ok"]);
        var passwordOnly = await _tools.RunAsync("sshpass",
            ["-e", "ssh", .. SshOptions, "-o", "PubkeyAuthentication=no", "-o", "PreferredAuthentications=password", $"admin@{_ip}", "echo ok"]);

        Assert.Equal(new ToolResult("", $"Received disconnect from {_ip} port 22:2: Too many authentication failures\n", 255), keysFirst);
        Assert.Equal(new ToolResult("ok\n", "", 0), passwordOnly);
    }

    [Fact]
    public async Task A_wrong_password_exits_5_without_a_word()
    {
        _tools.Environment["SSHPASS"] = "wrong";

        var result = await _tools.RunAsync("sshpass", ["-e", "ssh", .. SshOptions, $"admin@{_ip}", "echo ok"]);

        Assert.Equal(new ToolResult("", "", 5), result);
    }

    [Fact]
    public async Task Minus_e_without_SSHPASS_is_a_runtime_error()
    {
        _tools.Environment.Remove("SSHPASS");

        var result = await _tools.RunAsync("sshpass", ["-e", "ssh", $"admin@{_ip}", "echo ok"]);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("SSHPASS environment variable not set", result.Stderr);
    }

    [Fact]
    public async Task Two_password_sources_conflict()
    {
        var result = await _tools.RunAsync("sshpass", ["-e", "-p", "admin", "ssh", $"admin@{_ip}", "echo ok"]);

        Assert.Equal(2, result.ExitCode);
        Assert.StartsWith("sshpass: Conflicting password source", result.Stderr);
    }

    [Fact]
    public async Task Ssh_errors_other_than_the_password_pass_through()
    {
        var result = await _tools.RunAsync("sshpass", ["-e", "ssh", .. SshOptions, "-o", "ConnectTimeout=10", "admin@192.168.65.200", "echo ok"]);

        Assert.Equal(new ToolResult("", "ssh: connect to host 192.168.65.200 port 22: Operation timed out\n", 255), result);
    }
}
