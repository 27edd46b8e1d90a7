using System.Text.RegularExpressions;

namespace LabNet.Simulator.Guest.Commands;

/// <summary>grep, head, tail, wc, cut, awk's <c>{print $N}</c>, sort and tr, as filters in pipelines.</summary>
public sealed class TextCommands : IGuestCommand
{
    public IReadOnlyList<string> Names { get; } = ["grep", "head", "tail", "wc", "cut", "awk", "sort", "uniq", "xargs", "base64"];

    public Task<int> RunAsync(CommandCall call)
    {
        lock (call.Guest.Sync)
        {
            return Task.FromResult(call.Name switch
            {
                "grep" => Grep(call),
                "head" or "tail" => HeadTail(call),
                "wc" => Wc(call),
                "cut" => Cut(call),
                "awk" => Awk(call),
                "sort" => Lines(call, lines => lines.Order(StringComparer.Ordinal)),
                "uniq" => Lines(call, lines => lines.Where((l, i) => i == 0 || lines[i - 1] != l)),
                "base64" => Base64(call),
                _ => call.Fail($"{call.Name}: not supported by the LabNet guest", 2),
            });
        }
    }

    private static string[] SplitLines(string text) =>
        text.Length == 0 ? [] : (text.EndsWith('\n') ? text[..^1] : text).Split('\n');

    private static string? Input(CommandCall call, IReadOnlyList<string> files, out int code)
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
            var content = call.Guest.ReadFile(path);
            if (content is null)
            {
                call.Error.WriteLine($"{call.Name}: {file}: No such file or directory");
                code = 2;
                continue;
            }

            if (!call.Shell.CanRead(path))
            {
                call.Error.WriteLine($"{call.Name}: {file}: Permission denied");
                code = 2;
                continue;
            }

            all += content;
        }

        return all;
    }

    private static int Grep(CommandCall call)
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
            call.Out.WriteLine(matched.Count);
        }
        else if (flags.Contains('o') && !invert)
        {
            foreach (var line in matched)
            {
                foreach (Match m in regex.Matches(line))
                {
                    call.Out.WriteLine(m.Value);
                }
            }
        }
        else
        {
            foreach (var line in matched)
            {
                call.Out.WriteLine(line);
            }
        }

        return readCode != 0 ? readCode : matched.Count > 0 ? 0 : 1;
    }

    private static Regex BuildRegex(string pattern, HashSet<char> flags)
    {
        var options = flags.Contains('i') ? RegexOptions.IgnoreCase : RegexOptions.None;
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

    private static int HeadTail(CommandCall call)
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
        foreach (var line in call.Name == "head" ? lines.Take(count) : lines.TakeLast(count))
        {
            call.Out.WriteLine(line);
        }

        return code;
    }

    private static int Wc(CommandCall call)
    {
        var files = call.Args.Where(a => !a.StartsWith('-')).ToList();
        var text = Input(call, files, out var code) ?? "";
        var lines = text.Count(c => c == '\n');
        if (call.Args.Contains("-l"))
        {
            call.Out.WriteLine(files.Count == 1 ? $"{lines} {files[0]}" : lines.ToString());
        }
        else if (call.Args.Contains("-c"))
        {
            call.Out.WriteLine(text.Length);
        }
        else
        {
            var words = text.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).Length;
            call.Out.WriteLine($"{lines,7} {words,7} {text.Length,7}");
        }

        return code;
    }

    private static int Cut(CommandCall call)
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

    private static int Awk(CommandCall call)
    {
        var program = call.Args.FirstOrDefault(a => !a.StartsWith('-')) ?? "";
        var match = Regex.Match(program, @"^\s*\{\s*print\s+((?:\$\d+|NF|\$NF)(?:\s*,\s*(?:\$\d+|\$NF))*)\s*\}\s*$");
        if (!match.Success)
        {
            return call.Fail($"awk: the LabNet guest's awk only runs '{{print $N}}' programs, not: {program}", 2);
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

    private static int Lines(CommandCall call, Func<string[], IEnumerable<string>> transform)
    {
        var text = Input(call, call.Args.Where(a => !a.StartsWith('-')).ToList(), out var code) ?? "";
        foreach (var line in transform(SplitLines(text)))
        {
            call.Out.WriteLine(line);
        }

        return code;
    }

    private static int Base64(CommandCall call)
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
