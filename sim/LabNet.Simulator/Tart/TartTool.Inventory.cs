using System.Globalization;
using LabNet.Simulator.Host;
using LabNet.Simulator.Tools;

namespace LabNet.Simulator.Tart;

/// <summary><c>tart list</c> and <c>tart get</c>: the local VMs and cached images in Tart's text and JSON formats.</summary>
public sealed partial class TartTool
{
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
}
