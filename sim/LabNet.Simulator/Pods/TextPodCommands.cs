using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace LabNet.Simulator.Pods;

/// <summary>
/// The text tools people chain after curl inside a pod (<c>seq</c>, <c>grep</c>, <c>sort</c>, <c>uniq</c>, <c>head</c>,
/// <c>tail</c>, <c>wc</c>), e.g. a canary check run entirely in the pod:
/// <c>for i in $(seq 1 100); do curl -s http://httpbin/get | grep -o '"version": "[^"]*"'; done | sort | uniq -c</c>.
/// </summary>
internal sealed class TextPodCommands : IPodCommand
{
    public IReadOnlyList<string> Names { get; } = ["seq", "grep", "sort", "uniq", "head", "tail", "wc"];

    public async Task<int> RunAsync(PodCommandCall call)
    {
        var lines = SplitLines(call.Stdin);
        var args = call.Args;
        switch (call.Name)
        {
            case "seq":
            {
                var numbers = args.Select(a => long.TryParse(a, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : (long?)null).ToList();
                if (numbers.Count is 0 or > 3 || numbers.Any(n => n is null))
                {
                    await call.Stderr.WriteLineAsync(args.Count == 0 ? "seq: missing operand" : $"seq: invalid argument '{args.First(a => !long.TryParse(a, out _))}'");
                    return 1;
                }

                var (first, step, last) = numbers.Count switch
                {
                    1 => (1L, 1L, numbers[0]!.Value),
                    2 => (numbers[0]!.Value, 1L, numbers[1]!.Value),
                    _ => (numbers[0]!.Value, numbers[1]!.Value, numbers[2]!.Value),
                };
                var text = new StringBuilder();
                for (var i = first; step > 0 ? i <= last : i >= last; i += step)
                {
                    text.Append(i.ToString(CultureInfo.InvariantCulture)).Append('\n');
                    if (step == 0)
                    {
                        break;
                    }
                }

                await call.Stdout.WriteAsync(text.ToString());
                return 0;
            }

            case "grep":
                return await GrepAsync(call, lines);
            case "sort":
            {
                var numeric = args.Any(a => a.StartsWith('-') && a.Contains('n', StringComparison.Ordinal));
                var reverse = args.Any(a => a.StartsWith('-') && a.Contains('r', StringComparison.Ordinal));
                IEnumerable<string> sorted = numeric
                    ? lines.OrderBy(l => double.TryParse(Regex.Match(l, @"^\s*-?\d+(\.\d+)?").Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : 0).ThenBy(l => l, StringComparer.Ordinal)
                    : lines.OrderBy(l => l, StringComparer.Ordinal);
                if (reverse)
                {
                    sorted = sorted.Reverse();
                }

                await WriteLinesAsync(call, sorted);
                return 0;
            }

            case "uniq":
            {
                var count = args.Contains("-c");
                var output = new List<string>();
                for (var i = 0; i < lines.Count;)
                {
                    var j = i;
                    while (j < lines.Count && lines[j] == lines[i])
                    {
                        j++;
                    }

                    output.Add(count ? string.Create(CultureInfo.InvariantCulture, $"{j - i,7} {lines[i]}") : lines[i]);
                    i = j;
                }

                await WriteLinesAsync(call, output);
                return 0;
            }

            case "head" or "tail":
            {
                var n = 10;
                for (var i = 0; i < args.Count; i++)
                {
                    if (args[i] == "-n" && i + 1 < args.Count && int.TryParse(args[i + 1], out var value))
                    {
                        n = value;
                        i++;
                    }
                    else if (args[i].StartsWith('-') && int.TryParse(args[i][1..], out var shortValue))
                    {
                        n = shortValue;
                    }
                }

                await WriteLinesAsync(call, call.Name == "head" ? lines.Take(n) : lines.Skip(Math.Max(0, lines.Count - n)));
                return 0;
            }

            default: // wc
            {
                var text = call.Stdin;
                var value = args.Contains("-c") ? Encoding.UTF8.GetByteCount(text)
                    : args.Contains("-w") ? text.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).Length
                    : text.Count(c => c == '\n');
                await call.Stdout.WriteLineAsync(args.Count == 0
                    ? string.Create(CultureInfo.InvariantCulture, $"{text.Count(c => c == '\n'),7} {text.Split([' ', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries).Length,7} {Encoding.UTF8.GetByteCount(text),7}")
                    : value.ToString(CultureInfo.InvariantCulture));
                return 0;
            }
        }
    }

    private static async Task<int> GrepAsync(PodCommandCall call, List<string> lines)
    {
        bool only = false, count = false, quiet = false, invert = false, ignoreCase = false, extended = false;
        string? pattern = null;
        foreach (var arg in call.Args)
        {
            if (pattern is null && arg.StartsWith('-') && arg.Length > 1)
            {
                foreach (var flag in arg[1..])
                {
                    switch (flag)
                    {
                        case 'o': only = true; break;
                        case 'c': count = true; break;
                        case 'q': quiet = true; break;
                        case 'v': invert = true; break;
                        case 'i': ignoreCase = true; break;
                        case 'E': extended = true; break;
                        case 'F' or 'e' or 's' or 'h': break;
                        default:
                            await call.Stderr.WriteLineAsync($"grep: invalid option -- '{flag}'");
                            return 2;
                    }
                }

                continue;
            }

            pattern ??= arg;
        }

        if (pattern is null)
        {
            await call.Stderr.WriteLineAsync("Usage: grep [OPTION]... PATTERNS [FILE]...");
            return 2;
        }

        var regex = new Regex(extended ? pattern : FromBasic(pattern), ignoreCase ? RegexOptions.IgnoreCase | RegexOptions.CultureInvariant : RegexOptions.CultureInvariant);
        var output = new List<string>();
        var matched = 0;
        foreach (var line in lines)
        {
            var isMatch = regex.IsMatch(line) != invert;
            if (!isMatch)
            {
                continue;
            }

            matched++;
            if (only && !invert)
            {
                output.AddRange(regex.Matches(line).Where(m => m.Length > 0).Select(m => m.Value));
            }
            else
            {
                output.Add(line);
            }
        }

        if (quiet)
        {
            return matched > 0 ? 0 : 1;
        }

        if (count)
        {
            await call.Stdout.WriteLineAsync(matched.ToString(CultureInfo.InvariantCulture));
        }
        else
        {
            await WriteLinesAsync(call, output);
        }

        return matched > 0 ? 0 : 1;
    }

    /// <summary>A POSIX basic regular expression as .NET reads it: <c>\( \) \{ \} \| \+ \?</c> are the operators, the bare characters are literal.</summary>
    private static string FromBasic(string pattern)
    {
        var result = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length && pattern[i + 1] is '(' or ')' or '{' or '}' or '|' or '+' or '?')
            {
                result.Append(pattern[++i]);
            }
            else if (c is '(' or ')' or '{' or '}' or '|' or '+' or '?')
            {
                result.Append('\\').Append(c);
            }
            else
            {
                result.Append(c);
                if (c == '\\' && i + 1 < pattern.Length)
                {
                    result.Append(pattern[++i]);
                }
            }
        }

        return result.ToString();
    }

    private static List<string> SplitLines(string text)
    {
        var lines = text.Split('\n').ToList();
        if (lines.Count > 0 && lines[^1].Length == 0)
        {
            lines.RemoveAt(lines.Count - 1);
        }

        return lines;
    }

    private static Task WriteLinesAsync(PodCommandCall call, IEnumerable<string> lines)
    {
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(line).Append('\n');
        }

        return call.Stdout.WriteAsync(text.ToString());
    }
}
