using System.Text.Json;
using LabNet.Provisioner.Tools;
using Microsoft.Extensions.Options;

namespace LabNet.Provisioner.Tart;

/// <summary>
/// The <c>tart</c> commands the Provisioner needs, with Tart's real flags, and its exit codes read the way its source
/// defines them: 2 for "does not exist / already running / not running", 1 for everything else, classified by message.
/// </summary>
public sealed class TartCli(IToolRunner runner, IOptions<ToolPathsOptions> tools)
{
    public async Task<IReadOnlyList<TartListEntry>> ListAsync(CancellationToken cancellationToken)
    {
        var result = await RunCheckedAsync(["list", "--format", "json"], cancellationToken);
        return JsonSerializer.Deserialize<List<TartListEntry>>(result.StandardOutput) ?? [];
    }

    /// <summary>The VM's configuration, or null when no such VM exists.</summary>
    public async Task<TartVmConfig?> GetAsync(string vm, CancellationToken cancellationToken)
    {
        var (invocation, result) = await RunAsync(["get", vm, "--format", "json"], cancellationToken);
        if (result.ExitCode == 2 && result.StandardError.Contains("does not exist", StringComparison.Ordinal))
        {
            return null;
        }

        ToolFailedException.ThrowIfFailed(invocation, result);
        return JsonSerializer.Deserialize<TartVmConfig>(result.StandardOutput);
    }

    public Task PullAsync(string image, CancellationToken cancellationToken) => RunCheckedAsync(["pull", image], cancellationToken);

    /// <summary>Clones; Tart silently replaces an existing VM of that name, so callers check <see cref="ListAsync"/> first.</summary>
    public Task CloneAsync(string image, string vm, CancellationToken cancellationToken) => RunCheckedAsync(["clone", image, vm], cancellationToken);

    public Task SetAsync(string vm, int cpu, int memoryMb, int? diskGb, CancellationToken cancellationToken)
    {
        List<string> arguments = ["set", vm, "--cpu", cpu.ToString(), "--memory", memoryMb.ToString()];
        if (diskGb is { } disk)
        {
            arguments.AddRange(["--disk-size", disk.ToString()]);
        }

        return RunCheckedAsync(arguments, cancellationToken);
    }

    /// <summary>
    /// Boots the VM. <c>tart run</c> stays in the foreground while the VM runs, so this returns the running process;
    /// <c>0.0.0.0/0</c> is the only softnet allow list that lifts vmnet's VM-to-VM isolation.
    /// </summary>
    public Task<ToolResult> RunAsync(string vm) =>
        runner.StartAsync(Invocation(["run", vm, "--no-graphics", "--net-softnet-allow=0.0.0.0/0"]));

    /// <summary>The VM's IPv4 address, waiting up to <paramref name="waitSeconds"/> for a DHCP lease; null when none came.</summary>
    public async Task<string?> IpAsync(string vm, int waitSeconds, CancellationToken cancellationToken)
    {
        var (invocation, result) = await RunAsync(["ip", vm, "--wait", waitSeconds.ToString()], cancellationToken);
        if (result.ExitCode == 1 && result.StandardError.Contains("no IP address found", StringComparison.Ordinal))
        {
            return null;
        }

        ToolFailedException.ThrowIfFailed(invocation, result);
        return result.StandardOutput.Trim();
    }

    /// <summary>Stops the VM; a VM that is not running is already where we want it.</summary>
    public async Task StopAsync(string vm, int timeoutSeconds, CancellationToken cancellationToken)
    {
        var (invocation, result) = await RunAsync(["stop", vm, "--timeout", timeoutSeconds.ToString()], cancellationToken);
        if (result.ExitCode == 2 && result.StandardError.Contains("is not running", StringComparison.Ordinal))
        {
            return;
        }

        ToolFailedException.ThrowIfFailed(invocation, result);
    }

    /// <summary>Deletes the VM; one that does not exist is already gone.</summary>
    public async Task DeleteAsync(string vm, CancellationToken cancellationToken)
    {
        var (invocation, result) = await RunAsync(["delete", vm], cancellationToken);
        if (result.ExitCode == 2 && result.StandardError.Contains("does not exist", StringComparison.Ordinal))
        {
            return;
        }

        ToolFailedException.ThrowIfFailed(invocation, result);
    }

    private Task<ToolResult> RunCheckedAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        runner.RunCheckedAsync(Invocation(arguments), cancellationToken);

    private async Task<(ToolInvocation Invocation, ToolResult Result)> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var invocation = Invocation(arguments);
        return (invocation, await runner.RunAsync(invocation, cancellationToken));
    }

    private ToolInvocation Invocation(IReadOnlyList<string> arguments) => new(tools.Value.Tart, arguments);
}
