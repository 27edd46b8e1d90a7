using System.Globalization;

namespace LabNet.Simulator.Tart;

/// <summary>The subset of Swift ArgumentParser's behaviour Tart's users see: options, flags, positionals, and its errors (exit 64).</summary>
public sealed class CommandLine
{
    private readonly Dictionary<string, string?> _options = new(StringComparer.Ordinal);
    private readonly List<string> _positionals = [];

    public IReadOnlyList<string> Positionals => _positionals;

    public bool Has(string option) => _options.ContainsKey(option);

    public string? Value(string option) => _options.GetValueOrDefault(option);

    public List<string> Repeated { get; } = [];

    /// <summary>Parses argv against a spec; returns null and writes ArgumentParser's message on a usage error.</summary>
    /// <param name="valued">Options that take a value (long names, e.g. <c>--cpu</c>).</param>
    /// <param name="flags">Options without a value.</param>
    /// <param name="aliases">Short names, e.g. <c>-t</c> for <c>--timeout</c>.</param>
    /// <param name="positionals">Names of the positionals in order (for the "Missing expected argument" error).</param>
    /// <param name="variadic">Whether the last positional takes any number of values.</param>
    public static CommandLine? Parse(
        IEnumerable<string> argv,
        string command,
        string usage,
        string[] valued,
        string[] flags,
        IReadOnlyDictionary<string, string> aliases,
        string[] positionals,
        bool variadic,
        TextWriter error)
    {
        var line = new CommandLine();
        var args = argv.ToList();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                line._positionals.AddRange(args.Skip(i + 1));
                break;
            }

            if (arg.StartsWith('-') && arg.Length > 1)
            {
                var name = arg;
                string? inline = null;
                var eq = arg.IndexOf('=');
                if (arg.StartsWith("--", StringComparison.Ordinal) && eq > 0)
                {
                    name = arg[..eq];
                    inline = arg[(eq + 1)..];
                }

                if (aliases.TryGetValue(name, out var longName))
                {
                    name = longName;
                }

                if (valued.Contains(name))
                {
                    var value = inline;
                    if (value is null)
                    {
                        if (i + 1 >= args.Count)
                        {
                            error.WriteLine($"Error: Missing value for '{name} <{name.TrimStart('-')}>'");
                            WriteUsage(error, command, usage);
                            return null;
                        }

                        value = args[++i];
                    }

                    line._options[name] = value;
                    if (name == "--net-bridged")
                    {
                        line.Repeated.Add(value);
                    }

                    continue;
                }

                if (flags.Contains(name) && inline is null)
                {
                    line._options[name] = null;
                    continue;
                }

                error.WriteLine($"Error: Unknown option '{name}'");
                WriteUsage(error, command, usage);
                return null;
            }

            line._positionals.Add(arg);
        }

        if (line._positionals.Count < positionals.Length)
        {
            error.WriteLine($"Error: Missing expected argument '<{positionals[line._positionals.Count]}>'");
            WriteUsage(error, command, usage);
            return null;
        }

        if (!variadic && line._positionals.Count > positionals.Length)
        {
            error.WriteLine($"Error: Unexpected argument '{line._positionals[positionals.Length]}'");
            WriteUsage(error, command, usage);
            return null;
        }

        return line;
    }

    /// <summary>Reads an integer option, writing ArgumentParser's error if it is not one.</summary>
    public bool TryInt(string option, string command, string usage, TextWriter error, out int? value)
    {
        value = null;
        if (Value(option) is not { } text)
        {
            return true;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
            return true;
        }

        error.WriteLine($"Error: The value '{text}' is invalid for '{option} <{option.TrimStart('-')}>'");
        WriteUsage(error, command, usage);
        return false;
    }

    public static void WriteUsage(TextWriter error, string command, string usage)
    {
        error.WriteLine($"Usage: {usage}");
        error.WriteLine($"  See 'tart {command} --help' for more help.");
    }
}
