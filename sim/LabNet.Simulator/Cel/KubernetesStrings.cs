using System.Text;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Cel;

/// <summary>
/// cel-go's strings extension as Kubernetes enables it: <c>charAt</c>, <c>indexOf</c>, <c>lastIndexOf</c>,
/// <c>lowerAscii</c>, <c>upperAscii</c>, <c>replace</c>, <c>split</c>, <c>substring</c>, <c>trim</c>, <c>join</c> and
/// <c>strings.quote</c>. Indexes count code points, not UTF-16 units.
/// </summary>
public sealed class KubernetesStrings : ICelLibrary
{
    public IReadOnlySet<string> GlobalFunctions { get; } = new HashSet<string> { "strings.quote" };

    public object? Invoke(string function, object? target, object[] args)
    {
        if (target is null)
        {
            return function == "strings.quote" && args is [string quoted] ? GoValues.Quote(quoted) : null;
        }

        if (target is CelList list && function == "join")
        {
            return Join(list, args);
        }

        if (target is not string s)
        {
            return null;
        }

        var runes = s.EnumerateRunes().ToArray();
        return (function, args) switch
        {
            ("charAt", [long i]) => i < 0 || i > runes.Length ? OutOfRange(i) : i == runes.Length ? "" : runes[i].ToString(),
            ("indexOf", [string sub]) => IndexOf(runes, Runes(sub), 0),
            ("indexOf", [string sub, long from]) => from < 0 || from > runes.Length ? OutOfRange(from) : IndexOf(runes, Runes(sub), (int)from),
            ("lastIndexOf", [string sub]) => LastIndexOf(runes, Runes(sub), runes.Length),
            ("lastIndexOf", [string sub, long from]) => from < 0 || from > runes.Length ? OutOfRange(from) : LastIndexOf(runes, Runes(sub), (int)from),
            ("lowerAscii", []) => string.Concat(s.Select(c => c is >= 'A' and <= 'Z' ? (char)(c + 32) : c)),
            ("upperAscii", []) => string.Concat(s.Select(c => c is >= 'a' and <= 'z' ? (char)(c - 32) : c)),
            ("replace", [string from, string to]) => Replace(s, from, to, -1),
            ("replace", [string from, string to, long n]) => Replace(s, from, to, n),
            ("split", [string separator]) => Split(s, separator, -1),
            ("split", [string separator, long n]) => Split(s, separator, n),
            ("substring", [long start]) => Substring(runes, start, runes.Length),
            ("substring", [long start, long end]) => Substring(runes, start, end),
            ("trim", []) => s.Trim(),
            _ => null,
        };
    }

    private static Rune[] Runes(string s) => [.. s.EnumerateRunes()];

    private static CelError OutOfRange(long index) => new($"index out of range: {index}");

    private static long IndexOf(Rune[] text, Rune[] sub, int from)
    {
        for (var i = from; i + sub.Length <= text.Length; i++)
        {
            if (text.AsSpan(i, sub.Length).SequenceEqual(sub))
            {
                return i;
            }
        }

        return -1;
    }

    private static long LastIndexOf(Rune[] text, Rune[] sub, int from)
    {
        for (var i = Math.Min(from, text.Length - sub.Length); i >= 0; i--)
        {
            if (text.AsSpan(i, sub.Length).SequenceEqual(sub))
            {
                return i;
            }
        }

        return -1;
    }

    private static string Replace(string s, string from, string to, long n)
    {
        if (n < 0)
        {
            return from.Length == 0 ? Interleave(s, to) : s.Replace(from, to, StringComparison.Ordinal);
        }

        var result = new StringBuilder();
        var rest = s;
        for (var done = 0L; done < n; done++)
        {
            var at = rest.IndexOf(from, StringComparison.Ordinal);
            if (at < 0 || from.Length == 0)
            {
                break;
            }

            result.Append(rest, 0, at).Append(to);
            rest = rest[(at + from.Length)..];
        }

        return result.Append(rest).ToString();
    }

    /// <summary>Go's <c>strings.Replace(s, "", to, -1)</c>: <paramref name="to"/> before every code point and at the end.</summary>
    private static string Interleave(string s, string to) =>
        to + string.Concat(s.EnumerateRunes().Select(r => r + to));

    /// <summary>Go's <c>strings.SplitN</c>: n == 0 gives no parts, n &lt; 0 all of them, an empty separator splits into code points.</summary>
    private static CelList Split(string s, string separator, long n)
    {
        if (n == 0)
        {
            return CelList.Empty;
        }

        List<object> parts;
        if (separator.Length == 0)
        {
            var runes = s.EnumerateRunes().Select(r => r.ToString()).ToList();
            if (n > 0 && runes.Count > n)
            {
                runes = [.. runes.Take((int)n - 1), string.Concat(runes.Skip((int)n - 1))];
            }

            parts = [.. runes];
        }
        else
        {
            parts = [.. (n < 0 ? s.Split(separator) : s.Split(separator, (int)Math.Min(n, int.MaxValue)))];
        }

        return new CelList(parts);
    }

    private static object Substring(Rune[] runes, long start, long end)
    {
        if (start < 0 || start > runes.Length)
        {
            return OutOfRange(start);
        }

        if (end < 0 || end > runes.Length)
        {
            return OutOfRange(end);
        }

        if (start > end)
        {
            return new CelError($"invalid substring range. start: {start}, end: {end}");
        }

        return string.Concat(runes[(int)start..(int)end].Select(r => r.ToString()));
    }

    private static object Join(CelList list, object[] args)
    {
        var separator = args switch
        {
            [] => "",
            [string sep] => sep,
            _ => null,
        };
        if (separator is null)
        {
            return CelError.NoMatchingOverload("join");
        }

        return list.All(item => item is string)
            ? string.Join(separator, list.Cast<string>())
            : CelError.NoMatchingOverload("join");
    }
}
