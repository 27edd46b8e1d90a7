namespace LabNet.Simulator.Helm;

/// <summary>Helm's command line: the flags it takes with a value and without, in any position.</summary>
public sealed partial class HelmTool
{
    private static readonly HashSet<string> ValuedFlags =
    [
        "--kubeconfig", "--kube-context", "--namespace", "-n", "--values", "-f", "--set", "--set-string", "--timeout", "--version",
        "--output", "-o", "--description", "--repo", "--username", "--password", "--max", "--filter", "--selector", "-l", "--post-renderer",
    ];

    private static readonly HashSet<string> BooleanFlags =
    [
        "--install", "-i", "--wait", "--wait-for-jobs", "--reuse-values", "--reset-values", "--reset-then-reuse-values", "--create-namespace",
        "--atomic", "--dry-run", "--debug", "--force", "--force-update", "--all-namespaces", "-A", "--all", "-a", "--keep-history",
        "--devel", "--skip-crds", "--cleanup-on-fail", "--no-hooks", "--short", "-q", "--deployed", "--failed", "--pending", "--uninstalled", "--superseded",
    ];

    private sealed class Parsed
    {
        public List<string> Positionals { get; } = [];

        public Dictionary<string, List<string>> Values { get; } = new(StringComparer.Ordinal);

        public HashSet<string> Flags { get; } = new(StringComparer.Ordinal);

        public string? One(params string[] names) => names.Select(n => Values.GetValueOrDefault(n)?.LastOrDefault()).FirstOrDefault(v => v is not null);

        public IEnumerable<string> All(params string[] names) => names.SelectMany(n => Values.GetValueOrDefault(n) ?? []);

        public bool Has(params string[] names) => names.Any(Flags.Contains);

        public string? Unknown { get; set; }
    }

    private static Parsed Parse(IReadOnlyList<string> argv)
    {
        var parsed = new Parsed();
        for (var i = 0; i < argv.Count; i++)
        {
            var arg = argv[i];
            if (!arg.StartsWith('-') || arg == "-")
            {
                parsed.Positionals.Add(arg);
                continue;
            }

            string name = arg;
            string? value = null;
            var eq = arg.IndexOf('=');
            if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
            {
                name = arg[..eq];
                value = arg[(eq + 1)..];
            }
            else if (!arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2)
            {
                name = arg[..2];
                value = arg[2..];
            }

            if (BooleanFlags.Contains(name))
            {
                if (value is null or "true")
                {
                    parsed.Flags.Add(name);
                }

                continue;
            }

            if (!ValuedFlags.Contains(name))
            {
                parsed.Unknown ??= name;
                continue;
            }

            value ??= i + 1 < argv.Count ? argv[++i] : null;
            if (value is null)
            {
                parsed.Unknown ??= name;
                continue;
            }

            if (!parsed.Values.TryGetValue(name, out var list))
            {
                parsed.Values[name] = list = [];
            }

            list.Add(value);
        }

        return parsed;
    }
}
