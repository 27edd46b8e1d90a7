using System.Globalization;
using LabNet.Simulator.Clock;
using LabNet.Simulator.Host;
using LabNet.Simulator.Tools;
using Microsoft.Extensions.Options;

namespace LabNet.Simulator.Tart;

/// <summary>
/// The <c>tart</c> command line (2.32): the subcommands a provisioner uses, with Tart's messages (stderr), exit codes
/// (2: VM absent / not running / already running, 1: everything else, 64: usage) and output formats: pull, clone,
/// set and delete here; run, stop and ip in TartTool.Run.cs; list and get in TartTool.Inventory.cs. What they do to
/// the VMs is the Mac's (<see cref="MacHost"/>).
/// </summary>
public sealed partial class TartTool(MacHost host, IOptions<ModeledDurations> durations) : ITool
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
