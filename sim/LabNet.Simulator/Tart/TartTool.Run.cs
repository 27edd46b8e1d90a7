using LabNet.Simulator.Clock;
using LabNet.Simulator.Host;
using LabNet.Simulator.Tools;

namespace LabNet.Simulator.Tart;

/// <summary><c>tart run</c> (a foreground process while the VM runs), <c>tart stop</c> and <c>tart ip</c>.</summary>
public sealed partial class TartTool
{
    private async Task<int> RunVmAsync(List<string> args, ToolOutput output, CancellationToken callerGone)
    {
        const string usage = "tart run <name> [--no-graphics] [--serial] [--no-audio] [--net-bridged <interface>] [--net-softnet] [--net-softnet-allow <net-softnet-allow>] [--net-softnet-block <net-softnet-block>] [--net-softnet-expose <net-softnet-expose>] [--net-host] [--dir <dir> ...] [--nested] [--suspendable]";
        var line = CommandLine.Parse(
            args, "run", usage,
            ["--net-bridged", "--net-softnet-allow", "--net-softnet-block", "--net-softnet-expose", "--dir", "--disk", "--rosetta", "--root-disk-opts", "--serial-path"],
            ["--no-graphics", "--graphics", "--serial", "--no-audio", "--net-softnet", "--net-host", "--nested", "--suspendable", "--vnc", "--vnc-experimental", "--recovery", "--no-clipboard", "--capture-system-keys", "--no-trackpad", "--no-pointer", "--no-keyboard"],
            NoAliases, ["name"], false, output.Error);
        if (line is null)
        {
            return 64;
        }

        var softnet = line.Has("--net-softnet") || line.Has("--net-softnet-allow") || line.Has("--net-softnet-block") || line.Has("--net-softnet-expose");
        var modes = (softnet ? 1 : 0) + (line.Has("--net-bridged") ? 1 : 0) + (line.Has("--net-host") ? 1 : 0);
        if (modes > 1)
        {
            output.Error.WriteLine("Error: --net-bridged, --net-softnet and --net-host are mutually exclusive");
            CommandLine.WriteUsage(output.Error, "run", usage);
            return 64;
        }

        if (line.Has("--net-bridged") || line.Has("--net-host"))
        {
            // The twin has no physical LAN: say so in Tart's words rather than pretend.
            output.Error.WriteLine("Error: bridged and host-only networking are not available on this host");
            return 1;
        }

        var name = line.Positionals[0];
        var vm = host.FindVm(name);
        if (vm is null)
        {
            return DoesNotExist(name, output);
        }

        if (softnet && !host.Options.SoftnetInstalled)
        {
            output.Error.WriteLine("Softnet failed: softnet not found in PATH");
            return 1;
        }

        var allow = (line.Value("--net-softnet-allow") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var attachment = softnet ? new NetworkAttachment(NetworkMode.Softnet, allow) : NetworkAttachment.Nat;
        var start = host.Start(vm, attachment);
        switch (start.Outcome)
        {
            case VmStartOutcome.AlreadyRunning:
                output.Error.WriteLine($"VM \"{name}\" is already running!");
                return 2;
            case VmStartOutcome.OutOfMemory:
                // What Virtualization.framework reports when the host cannot back the guest's memory.
                output.Error.WriteLine("Error Domain=VZErrorDomain Code=1 \"The virtual machine failed to start.\" UserInfo={NSLocalizedFailure=Internal Virtualization error., NSLocalizedFailureReason=The virtual machine failed to start.}");
                return 1;
            case VmStartOutcome.StartedWithNewMac:
                output.Out.WriteLine("There is already a running VM with the same MAC address!");
                output.Out.WriteLine("Resetting VM to assign a new MAC address...");
                break;
        }

        var run = start.Run!;
        _ = Task.Run(() => host.BootAsync(vm, run), CancellationToken.None);

        // tart run is a foreground process: it returns when the guest powers off, and killing it kills the VM.
        var gone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using (callerGone.Register(() => gone.TrySetResult()))
        {
            await Task.WhenAny(run.Stopped, gone.Task);
        }

        if (!run.Stopped.IsCompleted)
        {
            host.PowerOff(vm);
        }

        return 0;
    }

    private async Task<int> IpAsync(List<string> args, ToolOutput output)
    {
        const string usage = "tart ip <name> [--wait <wait>] [--resolver <resolver>]";
        var line = CommandLine.Parse(args, "ip", usage, ["--wait", "--resolver"], [], NoAliases, ["name"], false, output.Error);
        if (line is null || !line.TryInt("--wait", "ip", usage, output.Error, out var wait))
        {
            return 64;
        }

        var resolver = line.Value("--resolver") ?? "dhcp";
        if (resolver is not ("dhcp" or "arp" or "agent"))
        {
            output.Error.WriteLine($"Error: The value '{resolver}' is invalid for '--resolver <resolver>'");
            output.Error.WriteLine("Help:  --resolver <resolver>  Strategy for resolving IP address: dhcp, arp or agent (default: dhcp)");
            CommandLine.WriteUsage(output.Error, "ip", usage);
            return 64;
        }

        var name = line.Positionals[0];
        var vm = host.FindVm(name);
        if (vm is null)
        {
            return DoesNotExist(name, output);
        }

        // Tart polls once a second until --wait seconds passed (counted in polls, so any clock speed behaves alike).
        for (var attempt = 0; ; attempt++)
        {
            var address = Resolve(vm, resolver);
            if (address is not null)
            {
                // At a fast clock the boot may be over in wall time before its modeled end: the answer waits for it.
                await host.Clock.WaitUntil(vm.BootedAt, CancellationToken.None);
                output.Out.WriteLine(address);
                return 0;
            }

            if (attempt >= (wait ?? 0))
            {
                break;
            }

            await host.Clock.Elapse(TimeSpan.FromSeconds(1), CancellationToken.None);
        }

        var message = "no IP address found";
        if (vm.State is not VmState.Running)
        {
            message += ", is your VM running?";
        }

        if (resolver == "arp")
        {
            message += " (not all Linux distributions are compatible with the ARP resolver)";
        }

        output.Error.WriteLine(message);
        return 1;
    }

    private string? Resolve(TartVm vm, string resolver) => resolver switch
    {
        "dhcp" => host.LeasedAddress(vm),
        "arp" => host.ArpAddress(vm),
        _ => host.AgentAddress(vm),
    };

    private async Task<int> StopAsync(List<string> args, ToolOutput output)
    {
        const string usage = "tart stop <name> [--timeout <timeout>]";
        var line = CommandLine.Parse(args, "stop", usage, ["--timeout"], [], new Dictionary<string, string> { ["-t"] = "--timeout" }, ["name"], false, output.Error);
        if (line is null || !line.TryInt("--timeout", "stop", usage, output.Error, out var timeout))
        {
            return 64;
        }

        var name = line.Positionals[0];
        var vm = host.FindVm(name);
        if (vm is null)
        {
            return DoesNotExist(name, output);
        }

        if (!host.RequestStop(vm))
        {
            output.Error.WriteLine($"VM \"{name}\" is not running");
            return 2;
        }

        // SIGINT lets the guest shut down; after --timeout (default 30 s) Tart sends SIGKILL.
        var grace = TimeSpan.FromSeconds(timeout ?? 30);
        await host.Clock.Elapse(durations.Value.Shutdown < grace ? durations.Value.Shutdown : grace, CancellationToken.None);
        host.PowerOff(vm);
        return 0;
    }
}
