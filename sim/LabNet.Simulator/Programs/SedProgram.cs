using System.Text;
using System.Text.RegularExpressions;
using LabNet.Simulator.Shell;

namespace LabNet.Simulator.Programs;

/// <summary>
/// GNU sed for the scripts provisioners write: <c>s</c> (with any delimiter, <c>g</c>/<c>I</c>/number flags,
/// <c>&amp;</c> and <c>\1</c>), <c>d</c>, <c>p</c> with <c>-n</c>, <c>/re/</c> and line-number addresses, <c>-i</c>,
/// <c>-e</c>, <c>-E</c>/<c>-r</c>.
/// </summary>
public sealed class SedProgram : IShellProgram
{
    public IReadOnlyList<string> Names { get; } = ["sed"];

    private sealed record Instruction(Regex? AddressRegex, int? AddressLine, char Command, Regex? Pattern, string Replacement, bool Global, int Occurrence, bool Print);

    public Task<int> RunAsync(ProgramCall call)
    {
        var scripts = new List<string>();
        var files = new List<string>();
        var inPlace = false;
        var extended = false;
        var quiet = false;
        for (var i = 0; i < call.Args.Count; i++)
        {
            var arg = call.Args[i];
            if (arg == "-e" && i + 1 < call.Args.Count)
            {
                scripts.Add(call.Args[++i]);
            }
            else if (arg.StartsWith("-i", StringComparison.Ordinal) || arg.StartsWith("--in-place", StringComparison.Ordinal))
            {
                inPlace = true;
            }
            else if (arg is "-E" or "-r" or "--regexp-extended")
            {
                extended = true;
            }
            else if (arg is "-n" or "--quiet" or "--silent")
            {
                quiet = true;
            }
            else if (arg.StartsWith('-') && arg.Length > 1)
            {
                return Task.FromResult(call.Fail($"sed: invalid option -- '{arg.TrimStart('-')}'\nUsage: sed [OPTION]... {{script-only-if-no-other-script}} [input-file]...", 1));
            }
            else if (scripts.Count == 0)
            {
                scripts.Add(arg);
            }
            else
            {
                files.Add(arg);
            }
        }

        if (scripts.Count == 0)
        {
            return Task.FromResult(call.Fail("Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...", 1));
        }

        List<Instruction> program;
        try
        {
            program = scripts.SelectMany(s => SplitCommands(s)).Select(c => Compile(c, extended)).ToList();
        }
        catch (FormatException ex)
        {
            return Task.FromResult(call.Fail($"sed: -e expression #1, char 0: {ex.Message}"));
        }

        lock (call.Files.Sync)
        {
            if (files.Count == 0)
            {
                if (inPlace)
                {
                    return Task.FromResult(call.Fail("sed: no input files"));
                }

                call.Out.Write(Apply(program, call.Stdin, quiet));
                return Task.FromResult(0);
            }

            var code = 0;
            foreach (var file in files)
            {
                var path = call.PathOf(file);
                var content = call.Files.ReadFile(path);
                if (content is null)
                {
                    code = call.Fail($"sed: can't read {file}: No such file or directory", 2);
                    continue;
                }

                if (!call.Files.CanRead(path))
                {
                    code = call.Fail($"sed: couldn't open file {file}: Permission denied", 4);
                    continue;
                }

                var result = Apply(program, content, quiet);
                if (inPlace)
                {
                    if (!call.Files.CanWrite(path))
                    {
                        code = call.Fail($"sed: couldn't open temporary file {Path.GetDirectoryName(path)}/sedAbc123: Permission denied", 4);
                        continue;
                    }

                    call.Files.WriteFile(path, result);
                }
                else
                {
                    call.Out.Write(result);
                }
            }

            return Task.FromResult(code);
        }
    }

    private static IEnumerable<string> SplitCommands(string script)
    {
        // Commands are separated by ';' or newlines outside s/// bodies.
        var commands = new List<string>();
        var current = new StringBuilder();
        var i = 0;
        while (i < script.Length)
        {
            var c = script[i];
            if (c is ';' or '\n')
            {
                if (current.ToString().Trim().Length > 0)
                {
                    commands.Add(current.ToString().Trim());
                }

                current.Clear();
                i++;
                continue;
            }

            if (c == '/' && current.ToString().Trim().Length == 0)
            {
                var end = EndOf(script, i + 1, '/');
                current.Append(script, i, end - i + 1);
                i = end + 1;
                continue;
            }

            if (c == 's' && i + 1 < script.Length && !char.IsAsciiLetterOrDigit(script[i + 1]) && !char.IsWhiteSpace(script[i + 1]))
            {
                var delimiter = script[i + 1];
                var end1 = EndOf(script, i + 2, delimiter);
                var end2 = EndOf(script, end1 + 1, delimiter);
                current.Append(script, i, end2 - i + 1);
                i = end2 + 1;
                while (i < script.Length && script[i] is not (';' or '\n'))
                {
                    current.Append(script[i++]);
                }

                continue;
            }

            current.Append(c);
            i++;
        }

        if (current.ToString().Trim().Length > 0)
        {
            commands.Add(current.ToString().Trim());
        }

        return commands;
    }

    private static int EndOf(string text, int start, char delimiter)
    {
        for (var i = start; i < text.Length; i++)
        {
            if (text[i] == '\\')
            {
                i++;
                continue;
            }

            if (text[i] == delimiter)
            {
                return i;
            }
        }

        throw new FormatException($"unterminated `s' command");
    }

    private static Instruction Compile(string command, bool extended)
    {
        Regex? addressRegex = null;
        int? addressLine = null;
        var i = 0;
        if (command.StartsWith('/'))
        {
            var end = EndOf(command, 1, '/');
            addressRegex = new Regex(ToDotNet(command[1..end], extended, '/'));
            i = end + 1;
        }
        else if (char.IsAsciiDigit(command[0]))
        {
            while (i < command.Length && char.IsAsciiDigit(command[i]))
            {
                i++;
            }

            addressLine = int.Parse(command[..i]);
        }

        while (i < command.Length && char.IsWhiteSpace(command[i]))
        {
            i++;
        }

        if (i >= command.Length)
        {
            throw new FormatException("missing command");
        }

        var verb = command[i];
        switch (verb)
        {
            case 'd' or 'p':
                return new Instruction(addressRegex, addressLine, verb, null, "", false, 0, false);
            case 's':
            {
                var delimiter = command[i + 1];
                var end1 = EndOf(command, i + 2, delimiter);
                var end2 = EndOf(command, end1 + 1, delimiter);
                var flags = command[(end2 + 1)..];
                var options = flags.Contains('I') || flags.Contains('i') ? RegexOptions.IgnoreCase : RegexOptions.None;
                var pattern = new Regex(ToDotNet(command[(i + 2)..end1], extended, delimiter), options | RegexOptions.Multiline);
                var occurrence = int.TryParse(new string(flags.Where(char.IsAsciiDigit).ToArray()), out var n) ? n : 0;
                return new Instruction(addressRegex, addressLine, 's', pattern, ToReplacement(command[(end1 + 1)..end2], delimiter), flags.Contains('g'), occurrence, flags.Contains('p'));
            }

            default:
                throw new FormatException($"unknown command: `{verb}'");
        }
    }

    /// <summary>POSIX BRE/ERE to .NET: in BRE, \( \) \{ \} \+ \? \| are operators and the bare characters are literal.</summary>
    private static string ToDotNet(string pattern, bool extended, char delimiter)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var next = pattern[++i];
                if (next == delimiter)
                {
                    sb.Append(Regex.Escape(next.ToString()));
                }
                else if (!extended && next is '(' or ')' or '{' or '}' or '+' or '?' or '|')
                {
                    sb.Append(next);
                }
                else
                {
                    sb.Append('\\').Append(next);
                }

                continue;
            }

            if (!extended && c is '(' or ')' or '{' or '}' or '+' or '?' or '|')
            {
                sb.Append('\\').Append(c);
                continue;
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    private static string ToReplacement(string replacement, char delimiter)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < replacement.Length; i++)
        {
            var c = replacement[i];
            if (c == '\\' && i + 1 < replacement.Length)
            {
                var next = replacement[++i];
                sb.Append(next switch
                {
                    _ when char.IsAsciiDigit(next) => "${" + next + "}",
                    'n' => "\n",
                    't' => "\t",
                    '&' => "&",
                    '$' => "$$",
                    _ => next.ToString(),
                });
                continue;
            }

            sb.Append(c switch
            {
                '&' => "$0",
                '$' => "$$",
                _ => c.ToString(),
            });
        }

        return sb.ToString();
    }

    private static string Apply(List<Instruction> program, string input, bool quiet)
    {
        var trailingNewline = input.EndsWith('\n');
        var lines = (trailingNewline ? input[..^1] : input).Split('\n');
        if (input.Length == 0)
        {
            return "";
        }

        var output = new StringBuilder();
        for (var n = 0; n < lines.Length; n++)
        {
            var line = lines[n];
            var deleted = false;
            foreach (var instruction in program)
            {
                var selected = instruction.AddressRegex?.IsMatch(line) ?? (instruction.AddressLine is not { } number || number == n + 1);
                if (!selected)
                {
                    continue;
                }

                if (instruction.Command == 'd')
                {
                    deleted = true;
                    break;
                }

                if (instruction.Command == 'p')
                {
                    output.Append(line).Append('\n');
                    continue;
                }

                var before = line;
                if (instruction.Global)
                {
                    line = instruction.Pattern!.Replace(line, instruction.Replacement);
                }
                else
                {
                    var count = 0;
                    var wanted = instruction.Occurrence == 0 ? 1 : instruction.Occurrence;
                    line = instruction.Pattern!.Replace(line, m => ++count == wanted ? m.Result(instruction.Replacement) : m.Value);
                }

                if (instruction.Print && line != before)
                {
                    output.Append(line).Append('\n');
                }
            }

            if (!deleted && !quiet)
            {
                output.Append(line);
                if (n < lines.Length - 1 || trailingNewline)
                {
                    output.Append('\n');
                }
            }
        }

        return output.ToString();
    }
}
