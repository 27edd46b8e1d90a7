using System.Globalization;
using LabNet.Simulator.Clock;
using LabNet.Simulator.Host;
using LabNet.Simulator.Tools;
using Microsoft.Extensions.Options;

namespace LabNet.Simulator.Tart;

/// <summary>
/// The <c>tart</c> command line (2.32): the subcommands a provisioner uses, with Tart's messages (stderr), exit codes
/// (2: VM absent / not running / already running, 1: everything else, 64: usage) and output formats.
/// </summary>
public sealed class TartTool(MacHost host, IOptions<ModeledDurations> durations) : ITool
{
    public const string Version = "2.32.1";

    private static readonly IReadOnlyDictionary<string, string> NoAliases = new Dictionary<string, string>();

    public string Name => "tart";

    public Task<int> RunAsync(ToolInvocation invocation, ToolOutput output, CancellationToken callerGone)
    {
        var argv = invocation.Argv;
        if (argv.Count == 0 || argv[0] is "--help" or "-h" or "help")
        {
            output.Out.WriteLine("OVERVIEW: Tart is a tool to manage virtual machines on Apple devices.");
            output.Out.WriteLine();
            output.Out.WriteLine("USAGE: tart <subcommand>");
            output.Out.WriteLine();
            output.Out.WriteLine("SUBCOMMANDS:\n  create, clone, run, set, get, list, login, logout, ip, exec, pull, push, import, export, prune, rename, stop, delete, fqn");
            return Task.FromResult(argv.Count == 0 ? 64 : 0);
        }

        if (argv[0] == "--version")
        {
            output.Out.WriteLine(Version);
            return Task.FromResult(0);
        }

        var rest = argv.Skip(1).ToList();
        return argv[0] switch
        {
            "pull" => PullAsync(rest, output),
            "clone" => CloneAsync(rest, output),
            "set" => Task.FromResult(Set(rest, output)),
            "run" => RunVmAsync(rest, output, callerGone),
            "ip" => IpAsync(rest, output),
            "list" => Task.FromResult(List(rest, output)),
            "get" => Task.FromResult(Get(rest, output)),
            "stop" => StopAsync(rest, output),
            "delete" => Task.FromResult(Delete(rest, output)),
            _ => Task.FromResult(UnknownSubcommand(argv[0], output)),
        };
    }

    private static int UnknownSubcommand(string name, ToolOutput output)
    {
        output.Error.WriteLine($"Error: Unexpected argument '{name}'");
        output.Error.WriteLine("Usage: tart <subcommand>");
        output.Error.WriteLine("  See 'tart --help' for more help.");
        return 64;
    }

    private static int DoesNotExist(string name, ToolOutput output)
    {
        output.Error.WriteLine($"the specified VM \"{name}\" does not exist");
        return 2;
    }

    private async Task<int> PullAsync(List<string> args, ToolOutput output)
    {
        const string usage = "tart pull <remote-name> [--insecure] [--concurrency <concurrency>] [--deduplicate]";
        var line = CommandLine.Parse(args, "pull", usage, ["--concurrency"], ["--insecure", "--deduplicate"], NoAliases, ["remote-name"], false, output.Error);
        if (line is null)
        {
            return 64;
        }

        var name = line.Positionals[0];
        if (!RemoteImageCatalog.LooksRemote(name))
        {
            if (host.FindVm(name) is null)
            {
                return DoesNotExist(name, output);
            }

            output.Out.WriteLine($"\"{name}\" is a local image, nothing to pull here!");
            return 0;
        }

        return await PullImageAsync(name, output) is null ? 1 : 0;
    }

    private async Task<RemoteImage?> PullImageAsync(string reference, ToolOutput output)
    {
        output.Out.WriteLine($"pulling {reference}...");
        var image = RemoteImageCatalog.Find(reference);
        if (image is null)
        {
            output.Error.WriteLine($"Error: failed to pull {reference}: registry responded with 404 Not Found: manifest unknown");
            return null;
        }

        output.Out.WriteLine("pulling manifest...");
        if (host.IsCached(reference))
        {
            return image;
        }

        output.Out.WriteLine($"pulling disk ({image.CompressedGb.ToString("0.0", CultureInfo.InvariantCulture)} GB compressed)...");
        await host.Clock.Elapse(durations.Value.ImagePull, CancellationToken.None);
        output.Out.WriteLine("100%");
        host.AddToCache(image);
        return image;
    }

    private async Task<int> CloneAsync(List<string> args, ToolOutput output)
    {
        const string usage = "tart clone <source-name> <new-name> [--insecure] [--concurrency <concurrency>] [--deduplicate] [--prune-limit <prune-limit>]";
        var line = CommandLine.Parse(args, "clone", usage, ["--concurrency", "--prune-limit"], ["--insecure", "--deduplicate"], NoAliases, ["source-name", "new-name"], false, output.Error);
        if (line is null)
        {
            return 64;
        }

        var (source, target) = (line.Positionals[0], line.Positionals[1]);
        if (target.Contains('/'))
        {
            output.Error.WriteLine("Error: <new-name> should be a local name");
            CommandLine.WriteUsage(output.Error, "clone", usage);
            return 64;
        }

        RemoteImage image;
        string? sourceMac = null;
        if (RemoteImageCatalog.LooksRemote(source))
        {
            if (host.IsCached(source))
            {
                image = RemoteImageCatalog.Find(source)!;
            }
            else if (await PullImageAsync(source, output) is { } pulled)
            {
                image = pulled;
            }
            else
            {
                return 1;
            }
        }
        else
        {
            var local = host.FindVm(source);
            if (local is null)
            {
                return DoesNotExist(source, output);
            }

            image = local.Image;
            sourceMac = local.Mac;
        }

        if (host.FindVm(target) is { State: VmState.Running })
        {
            output.Error.WriteLine($"VM \"{target}\" is running");
            return 1;
        }

        await host.Clock.Elapse(durations.Value.CloneVm, CancellationToken.None);
        host.Clone(image, target, sourceMac);
        return 0;
    }

    private int Set(List<string> args, ToolOutput output)
    {
        const string usage = "tart set <name> [--cpu <cpu>] [--memory <memory>] [--display <display>] [--random-mac] [--random-serial] [--disk <disk>] [--disk-size <disk-size>]";
        var line = CommandLine.Parse(args, "set", usage, ["--cpu", "--memory", "--display", "--disk", "--disk-size"], ["--random-mac", "--random-serial", "--display-refit", "--no-display-refit"], NoAliases, ["name"], false, output.Error);
        if (line is null ||
            !line.TryInt("--cpu", "set", usage, output.Error, out var cpu) ||
            !line.TryInt("--memory", "set", usage, output.Error, out var memory) ||
            !line.TryInt("--disk-size", "set", usage, output.Error, out var diskSize))
        {
            return 64;
        }

        var vm = host.FindVm(line.Positionals[0]);
        if (vm is null)
        {
            return DoesNotExist(line.Positionals[0], output);
        }

        lock (host.Sync)
        {
            if (cpu is < 1)
            {
                output.Error.WriteLine($"LessThanMinimalResourcesError(\"VM should have 1 CPU cores at minimum (requested {cpu})\")");
                return 1;
            }

            if (memory is < 256)
            {
                output.Error.WriteLine($"LessThanMinimalResourcesError(\"VM should have {256L * 1024 * 1024} bytes of memory at minimum (requested {(long)memory.Value * 1024 * 1024})\")");
                return 1;
            }

            if (diskSize is { } gb && gb < vm.DiskGb)
            {
                output.Error.WriteLine($"InvalidDiskSize(\"new disk size of {gb}GB should be larger than the current disk size of {vm.DiskGb}GB\")");
                return 1;
            }

            vm.CpuCount = cpu ?? vm.CpuCount;
            vm.MemoryMb = memory ?? vm.MemoryMb;
            vm.DiskGb = diskSize ?? vm.DiskGb;
            vm.Display = line.Value("--display") ?? vm.Display;
            if (line.Has("--random-mac"))
            {
                vm.Mac = host.RandomMac();
            }
        }

        return 0;
    }

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
        VmRun run;
        lock (host.Sync)
        {
            if (vm.State is VmState.Running)
            {
                output.Error.WriteLine($"VM \"{name}\" is already running!");
                return 2;
            }

            var available = host.Options.MemoryMb - host.Options.ReservedMemoryMb - host.CommittedMemoryMb;
            if (vm.MemoryMb > available)
            {
                // What Virtualization.framework reports when the host cannot back the guest's memory.
                output.Error.WriteLine("Error Domain=VZErrorDomain Code=1 \"The virtual machine failed to start.\" UserInfo={NSLocalizedFailure=Internal Virtualization error., NSLocalizedFailureReason=The virtual machine failed to start.}");
                return 1;
            }

            if (host.Vms.Any(v => v != vm && v.State is VmState.Running && string.Equals(v.Mac, vm.Mac, StringComparison.OrdinalIgnoreCase)))
            {
                output.Out.WriteLine("There is already a running VM with the same MAC address!");
                output.Out.WriteLine("Resetting VM to assign a new MAC address...");
                vm.Mac = host.RandomMac();
            }

            host.EnsureObservers();
            run = new VmRun();
            vm.Run = run;
            vm.State = VmState.Running;
            vm.Attachment = attachment;
            vm.Address = null;
            vm.SshReady = false;
            vm.Accessed = host.Clock.Now;
        }

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

    private string? Resolve(TartVm vm, string resolver)
    {
        lock (host.Sync)
        {
            return resolver switch
            {
                // The freshest lease for the MAC, whether or not the VM runs (a stopped VM's last lease is printed).
                "dhcp" => new[] { host.SoftnetDhcp.Find(vm.Mac), host.NatDhcp.Find(vm.Mac) }
                    .Where(l => l is not null)
                    .OrderByDescending(l => l!.Held)
                    .ThenByDescending(l => l!.Expires)
                    .FirstOrDefault()?.Address,
                // The host's ARP cache only sees guests on the shared NAT bridge that sent traffic.
                "arp" => vm.State is VmState.Running && vm.Attachment.Mode is NetworkMode.Nat ? vm.Address : null,
                _ => vm.State is VmState.Running && vm.SshReady ? vm.Address : null,
            };
        }
    }

    private int List(List<string> args, ToolOutput output)
    {
        const string usage = "tart list [--source <source>] [--format <format>] [--quiet]";
        var line = CommandLine.Parse(args, "list", usage, ["--source", "--format"], ["--quiet"], new Dictionary<string, string> { ["-q"] = "--quiet" }, [], false, output.Error);
        if (line is null || !ValidFormat(line, "list", usage, output))
        {
            return 64;
        }

        var source = line.Value("--source");
        if (source is not (null or "local" or "oci"))
        {
            output.Error.WriteLine($"Error: '{source}' is not a valid <source>");
            CommandLine.WriteUsage(output.Error, "list", usage);
            return 64;
        }

        var now = host.Clock.Now;
        var rows = new List<(string Name, IReadOnlyList<TartFormat.Field> Fields)>();
        if (source is null or "local")
        {
            lock (host.Sync)
            {
                rows.AddRange(host.Vms.Select(vm => (vm.Name, Row("local", vm.Name, vm.DiskGb, (int)vm.AllocatedGb, vm.Accessed, vm.State, now))));
            }
        }

        if (source is null or "oci")
        {
            var entries = host.CachedImages
                .SelectMany(c => new[] { (Name: c.Image.Reference, c.Image, c.Pulled), (Name: RepositoryOf(c.Image.Reference) + "@" + c.Image.Digest, c.Image, c.Pulled) })
                .DistinctBy(e => e.Name)
                .OrderBy(e => e.Name, StringComparer.Ordinal);
            rows.AddRange(entries.Select(e => (e.Name, Row("OCI", e.Name, e.Image.DiskGb, (int)e.Image.AllocatedGb, e.Pulled, VmState.Stopped, now))));
        }

        if (line.Has("--quiet"))
        {
            foreach (var row in rows)
            {
                output.Out.WriteLine(row.Name);
            }

            return 0;
        }

        var fields = rows.Select(r => r.Fields).ToList();
        output.Out.WriteLine(line.Value("--format") == "json" ? TartFormat.JsonArray(fields) : TartFormat.Table(fields));
        return 0;
    }

    private static string RepositoryOf(string reference)
    {
        var slash = reference.LastIndexOf('/');
        var colon = reference.LastIndexOf(':');
        return colon > slash ? reference[..colon] : reference;
    }

    private static IReadOnlyList<TartFormat.Field> Row(string source, string name, int disk, int size, DateTimeOffset accessed, VmState state, DateTimeOffset now) =>
    [
        TartFormat.String("Source", source),
        TartFormat.String("Name", name),
        TartFormat.Int("Disk", disk),
        TartFormat.Int("Size", size),
        TartFormat.String("Accessed", TartFormat.Iso8601(accessed), TartFormat.Relative(accessed, now)),
        TartFormat.Bool("Running", state is VmState.Running, jsonOnly: true),
        TartFormat.String("State", StateName(state)),
    ];

    private static string StateName(VmState state) => state is VmState.Running ? "running" : "stopped";

    private static bool ValidFormat(CommandLine line, string command, string usage, ToolOutput output)
    {
        if (line.Value("--format") is null or "text" or "json")
        {
            return true;
        }

        output.Error.WriteLine($"Error: The value '{line.Value("--format")}' is invalid for '--format <format>'");
        CommandLine.WriteUsage(output.Error, command, usage);
        return false;
    }

    private int Get(List<string> args, ToolOutput output)
    {
        const string usage = "tart get <name> [--format <format>]";
        var line = CommandLine.Parse(args, "get", usage, ["--format"], [], NoAliases, ["name"], false, output.Error);
        if (line is null || !ValidFormat(line, "get", usage, output))
        {
            return 64;
        }

        var vm = host.FindVm(line.Positionals[0]);
        if (vm is null)
        {
            return DoesNotExist(line.Positionals[0], output);
        }

        IReadOnlyList<TartFormat.Field> fields;
        lock (host.Sync)
        {
            fields =
            [
                TartFormat.String("OS", vm.Image.Os),
                TartFormat.Int("CPU", vm.CpuCount),
                TartFormat.Int("Memory", vm.MemoryMb),
                TartFormat.Int("Disk", vm.DiskGb),
                TartFormat.String("DiskFormat", "raw"),
                TartFormat.String("Size", vm.AllocatedGb.ToString("0.000", CultureInfo.InvariantCulture)),
                TartFormat.String("Display", vm.Display),
                TartFormat.Bool("Running", vm.State is VmState.Running, jsonOnly: true),
                TartFormat.String("State", StateName(vm.State)),
            ];
        }

        output.Out.WriteLine(line.Value("--format") == "json" ? TartFormat.JsonObject(fields) : TartFormat.Table([fields]));
        return 0;
    }

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

        VmRun? run;
        lock (host.Sync)
        {
            run = vm.Run;
            if (vm.State is not VmState.Running || run is null || run.StopRequested)
            {
                output.Error.WriteLine($"VM \"{name}\" is not running");
                return 2;
            }

            run.StopRequested = true;
        }

        // SIGINT lets the guest shut down; after --timeout (default 30 s) Tart sends SIGKILL.
        var grace = TimeSpan.FromSeconds(timeout ?? 30);
        await host.Clock.Elapse(durations.Value.Shutdown < grace ? durations.Value.Shutdown : grace, CancellationToken.None);
        host.PowerOff(vm);
        return 0;
    }

    private int Delete(List<string> args, ToolOutput output)
    {
        const string usage = "tart delete <name> ...";
        var line = CommandLine.Parse(args, "delete", usage, [], [], NoAliases, ["name"], true, output.Error);
        if (line is null)
        {
            return 64;
        }

        foreach (var name in line.Positionals)
        {
            var vm = host.FindVm(name);
            if (vm is null)
            {
                return DoesNotExist(name, output);
            }

            if (vm.State is VmState.Running)
            {
                output.Error.WriteLine($"VM \"{name}\" is running");
                return 1;
            }

            host.Delete(name);
        }

        return 0;
    }
}
