namespace LabNet.Simulator.Kubeadm;

/// <summary>kubeadm's (cobra) command line: <c>--flag=value</c> or <c>--flag value</c>, positionals, unknown-flag errors.</summary>
public sealed class KubeadmFlags
{
    private readonly Dictionary<string, string> _values = new(StringComparer.Ordinal);

    public List<string> Positionals { get; } = [];

    public string? UnknownFlag { get; private set; }

    public string? Get(string name) => _values.GetValueOrDefault(name);

    public bool Has(string name) => _values.ContainsKey(name);

    public static KubeadmFlags Parse(IEnumerable<string> args, ISet<string> valued, ISet<string> booleans)
    {
        var flags = new KubeadmFlags();
        var list = args.ToList();
        for (var i = 0; i < list.Count; i++)
        {
            var arg = list[i];
            if (!arg.StartsWith('-') || arg == "-")
            {
                flags.Positionals.Add(arg);
                continue;
            }

            var name = arg.TrimStart('-');
            string? value = null;
            var eq = name.IndexOf('=');
            if (eq >= 0)
            {
                value = name[(eq + 1)..];
                name = name[..eq];
            }

            if (name is "v" or "f" && !valued.Contains(name))
            {
                name = name == "f" ? "force" : "v";
            }

            if (booleans.Contains(name))
            {
                flags._values[name] = value ?? "true";
                continue;
            }

            if (!valued.Contains(name))
            {
                flags.UnknownFlag ??= arg.Split('=')[0];
                continue;
            }

            if (value is null && i + 1 < list.Count)
            {
                value = list[++i];
            }

            flags._values[name] = value ?? "";
        }

        return flags;
    }
}
