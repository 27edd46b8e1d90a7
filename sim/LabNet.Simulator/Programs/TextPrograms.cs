using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using LabNet.Simulator.Shell;

namespace LabNet.Simulator.Programs;

/// <summary>
/// The text filters of pipelines, on stdin or files: grep, head, tail, wc, cut, awk's <c>{print $N}</c>, sort, uniq,
/// base64 and seq; e.g. a canary check run in a pod:
/// <c>for i in $(seq 1 100); do curl -s http://httpbin/get | grep -o '"version": "[^"]*"'; done | sort | uniq -c</c>.
/// </summary>
public sealed class TextPrograms : IShellProgram
{
    public IReadOnlyList<string> Names { get; } = ["grep", "head", "tail", "wc", "cut", "awk", "sort", "uniq", "xargs", "base64", "seq"];

    public Task<int> RunAsync(ProgramCall call)
    {
        lock (call.Files.Sync)
        {
            return Task.FromResult(call.Name switch
            {
                "grep" => Grep(call),
                "head" or "tail" => HeadTail(call),
                "wc" => Wc(call),
                "cut" => Cut(call),
                "awk" => Awk(call),
                "sort" => Sort(call),
                "uniq" => Uniq(call),
                "base64" => Base64(call),
                "seq" => Seq(call),
                _ => call.Fail($"{call.Name}: not supported by the LabNet simulator", 2),
            });
        }
    }

    private static string[] SplitLines(string text) =>
        text.Length == 0 ? [] : (text.EndsWith('\n') ? text[..^1] : text).Split('\n');

    private static string? Input(ProgramCall call, IReadOnlyList<string> files, out int code)
    {
        code = 0;
        if (files.Count == 0 || files is ["-"])
        {
            return call.Stdin;
        }

        var all = "";
        foreach (var file in files)
        {
            var path = call.PathOf(file);
            var content = call.Files.ReadFile(path);
            if (content is null)
            {
                call.Error.WriteLine($"{call.Name}: {file}: No such file or directory");
                code = 2;
                continue;
            }

            if (!call.Files.CanRead(path))
            {
                call.Error.WriteLine($"{call.Name}: {file}: Permission denied");
                code = 2;
                continue;
            }

            all += content;
        }

        return all;
    }

    private static int Grep(ProgramCall call)
    {
        var flags = new HashSet<char>();
        string? pattern = null;
        var files = new List<string>();
        for (var i = 0; i < call.Args.Count; i++)
        {
            var arg = call.Args[i];
            if (arg == "-e" && i + 1 < call.Args.Count)
            {
                pattern = call.Args[++i];
            }
            else if (pattern is null && arg.StartsWith('-') && arg.Length > 1)
            {
                foreach (var c in arg.TrimStart('-'))
                {
                    if (!"ocqviEFPwsh".Contains(c, StringComparison.Ordinal))
                    {
                        return call.Fail($"grep: invalid option -- '{c}'\nUsage: grep [OPTION]... PATTERNS [FILE]...", 2);
                    }

                    flags.Add(c);
                }
            }
            else if (pattern is null)
            {
                pattern = arg;
            }
            else
            {
                files.Add(arg);
            }
        }

        if (pattern is null)
        {
            return call.Fail("Usage: grep [OPTION]... PATTERNS [FILE]...", 2);
        }

        var text = Input(call, files, out var readCode);
        if (text is null)
        {
            return 2;
        }

        Regex regex;
        try
        {
            regex = BuildRegex(pattern, flags);
        }
        catch (ArgumentException)
        {
            return call.Fail("grep: Unmatched ( or \\(", 2);
        }

        var invert = flags.Contains('v');
        var matched = SplitLines(text).Where(l => regex.IsMatch(l) != invert).ToList();
        if (flags.Contains('q'))
        {
            return matched.Count > 0 ? 0 : 1;
        }

        if (flags.Contains('c'))
        {
            call.Out.WriteLine(matched.Count.ToString(CultureInfo.InvariantCulture));
        }
        else if (flags.Contains('o') && !invert)
        {
            WriteLines(call, matched.SelectMany(line => regex.Matches(line).Where(m => m.Length > 0).Select(m => m.Value)));
        }
        else
        {
            WriteLines(call, matched);
        }

        return readCode != 0 ? readCode : matched.Count > 0 ? 0 : 1;
    }

    private static Regex BuildRegex(string pattern, HashSet<char> flags)
    {
        var options = flags.Contains('i') ? RegexOptions.IgnoreCase | RegexOptions.CultureInvariant : RegexOptions.CultureInvariant;
        string dotnet;
        if (flags.Contains('F'))
        {
            dotnet = Regex.Escape(pattern);
        }
        else if (flags.Contains('P'))
        {
            // PCRE's \K (keep) becomes a lookbehind.
            var keep = pattern.IndexOf("\\K", StringComparison.Ordinal);
            dotnet = keep >= 0 ? $"(?<={pattern[..keep]}){pattern[(keep + 2)..]}" : pattern;
        }
        else if (flags.Contains('E'))
        {
            dotnet = pattern;
        }
        else
        {
            dotnet = Regex.Replace(pattern, @"\\([(){}+?|])|([(){}+?|])", m => m.Groups[1].Success ? m.Groups[1].Value : "\\" + m.Groups[2].Value);
        }

        if (flags.Contains('w'))
        {
            dotnet = $@"\b(?:{dotnet})\b";
        }

        return new Regex(dotnet, options);
    }

    private static int HeadTail(ProgramCall call)
    {
        var count = 10;
        var files = new List<string>();
        for (var i = 0; i < call.Args.Count; i++)
        {
            var arg = call.Args[i];
            if (arg == "-n" && i + 1 < call.Args.Count)
            {
                count = int.Parse(call.Args[++i].TrimStart('+', '-'));
            }
            else if (arg.StartsWith('-') && int.TryParse(arg[1..], out var n))
            {
                count = n;
            }
            else
            {
                files.Add(arg);
            }
        }

        var text = Input(call, files, out var code);
        var lines = SplitLines(text ?? "");
        WriteLines(call, call.Name == "head" ? lines.Take(count) : lines.TakeLast(count));
        return code;
    }

    private static int Wc(ProgramCall call)
    {
        var files = call.Args.Where(a => !a.StartsWith('-')).ToList();
        var text = Input(call, files, out var code) ?? "";
        var lines = text.Count(c => c == '\n');
        var words = text.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).Length;
        var bytes = Encoding.UTF8.GetByteCount(text);
        var suffix = files.Count == 1 ? " " + files[0] : "";
        var line = call.Args.Contains("-l") ? $"{lines}{suffix}"
            : call.Args.Contains("-w") ? $"{words}{suffix}"
            : call.Args.Contains("-c") ? $"{bytes}{suffix}"
            : string.Create(CultureInfo.InvariantCulture, $"{lines,7} {words,7} {bytes,7}{suffix}");
        call.Out.WriteLine(line);
        return code;
    }

    private static int Cut(ProgramCall call)
    {
        var delimiter = '\t';
        var fields = new List<int>();
        for (var i = 0; i < call.Args.Count; i++)
        {
            var arg = call.Args[i];
            if (arg.StartsWith("-d", StringComparison.Ordinal))
            {
                delimiter = arg.Length > 2 ? arg[2] : call.Args[++i][0];
            }
            else if (arg.StartsWith("-f", StringComparison.Ordinal))
            {
                var spec = arg.Length > 2 ? arg[2..] : call.Args[++i];
                fields.AddRange(spec.Split(',').Select(int.Parse));
            }
        }

        foreach (var line in SplitLines(call.Stdin))
        {
            var parts = line.Split(delimiter);
            call.Out.WriteLine(string.Join(delimiter, fields.Where(f => f <= parts.Length).Select(f => parts[f - 1])));
        }

        return 0;
    }

    private static int Awk(ProgramCall call)
    {
        var program = call.Args.FirstOrDefault(a => !a.StartsWith('-')) ?? "";
        var match = Regex.Match(program, @"^\s*\{\s*print\s+((?:\$\d+|NF|\$NF)(?:\s*,\s*(?:\$\d+|\$NF))*)\s*\}\s*$");
        if (!match.Success)
        {
            return call.Fail($"awk: the LabNet simulator's awk only runs '{{print $N}}' programs, not: {program}", 2);
        }

        var columns = match.Groups[1].Value.Split(',').Select(c => c.Trim()).ToList();
        foreach (var line in SplitLines(call.Stdin))
        {
            var parts = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            var values = columns.Select(c => c switch
            {
                "$0" => line,
                "NF" => parts.Length.ToString(),
                "$NF" => parts.LastOrDefault() ?? "",
                _ => int.Parse(c[1..]) is var n && n <= parts.Length ? parts[n - 1] : "",
            });
            call.Out.WriteLine(string.Join(' ', values));
        }

        return 0;
    }

    private static int Sort(ProgramCall call)
    {
        var flags = call.Args.Where(a => a.StartsWith('-') && a.Length > 1).SelectMany(a => a[1..]).ToHashSet();
        var lines = SplitLines(Input(call, Operands(call), out var code) ?? "");
        IEnumerable<string> sorted = flags.Contains('n')
            ? lines.OrderBy(NumericPrefix).ThenBy(l => l, StringComparer.Ordinal)
            : lines.Order(StringComparer.Ordinal);
        if (flags.Contains('r'))
        {
            sorted = sorted.Reverse();
        }

        WriteLines(call, flags.Contains('u') ? sorted.Distinct() : sorted);
        return code;
    }

    private static double NumericPrefix(string line) =>
        double.TryParse(Regex.Match(line, @"^\s*-?\d+(\.\d+)?").Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : 0;

    private static int Uniq(ProgramCall call)
    {
        var count = call.Args.Contains("-c");
        var lines = SplitLines(Input(call, Operands(call), out var code) ?? "");
        var output = new List<string>();
        for (var i = 0; i < lines.Length;)
        {
            var j = i;
            while (j < lines.Length && lines[j] == lines[i])
            {
                j++;
            }

            output.Add(count ? string.Create(CultureInfo.InvariantCulture, $"{j - i,7} {lines[i]}") : lines[i]);
            i = j;
        }

        WriteLines(call, output);
        return code;
    }

    private static int Seq(ProgramCall call)
    {
        var numbers = call.Args.Select(a => long.TryParse(a, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : (long?)null).ToList();
        if (numbers.Count is 0 or > 3 || numbers.Any(n => n is null))
        {
            return call.Fail(call.Args.Count == 0 ? "seq: missing operand" : $"seq: invalid argument '{call.Args.First(a => !long.TryParse(a, out _))}'");
        }

        var (first, step, last) = numbers.Count switch
        {
            1 => (1L, 1L, numbers[0]!.Value),
            2 => (numbers[0]!.Value, 1L, numbers[1]!.Value),
            _ => (numbers[0]!.Value, numbers[1]!.Value, numbers[2]!.Value),
        };
        var values = new List<string>();
        for (var i = first; step > 0 ? i <= last : i >= last; i += step)
        {
            values.Add(i.ToString(CultureInfo.InvariantCulture));
            if (step == 0)
            {
                break;
            }
        }

        WriteLines(call, values);
        return 0;
    }

    private static List<string> Operands(ProgramCall call) => call.Args.Where(a => !a.StartsWith('-') || a == "-").ToList();

    /// <summary>Writes the lines in one piece (a pipeline stage's output is read whole by the next).</summary>
    private static void WriteLines(ProgramCall call, IEnumerable<string> lines)
    {
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(line).Append('\n');
        }

        call.Out.Write(text.ToString());
    }

    private static int Base64(ProgramCall call)
    {
        if (call.Args.Contains("-d") || call.Args.Contains("--decode"))
        {
            try
            {
                call.Out.Write(System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(call.Stdin.Trim())));
                return 0;
            }
            catch (FormatException)
            {
                return call.Fail("base64: invalid input");
            }
        }

        call.Out.WriteLine(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(call.Stdin)));
        return 0;
    }
}
