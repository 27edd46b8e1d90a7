using System.Text.RegularExpressions;

namespace LabNet.Simulator.Cilium.Policy;

/// <summary>
/// One <c>rules.http</c> entry. Method, path and host are regular expressions that must match the WHOLE value (Envoy's
/// safe_regex has no partial matching: path <c>/status</c> allows exactly <c>/status</c>, not <c>/status?x=1</c>).
/// Every field present must match; an entry with no fields allows every request.
/// </summary>
public sealed record HttpRule(
    WholeStringRegex? Method,
    WholeStringRegex? Path,
    WholeStringRegex? Host,
    IReadOnlyList<HttpHeaderRequirement> Headers)
{
    public bool Allows(HttpRequestInfo request)
    {
        if (Method is not null && !Method.IsMatch(request.Method))
        {
            return false;
        }

        if (Path is not null && !Path.IsMatch(request.Path))
        {
            return false;
        }

        if (Host is not null && !Host.IsMatch(request.Host))
        {
            return false;
        }

        foreach (var header in Headers)
        {
            if (!header.IsSatisfiedBy(request))
            {
                return false;
            }
        }

        return true;
    }

    public override string ToString()
    {
        var parts = new List<string>();
        if (Method is not null) parts.Add($"method={Method.Pattern}");
        if (Path is not null) parts.Add($"path={Path.Pattern}");
        if (Host is not null) parts.Add($"host={Host.Pattern}");
        parts.AddRange(Headers.Select(h => h.ToString()));
        return parts.Count == 0 ? "{}" : string.Join(" ", parts);
    }
}

/// <summary>
/// A required header: from <c>headers</c> (<c>"Name"</c> = must be present, <c>"Name: value"</c> = must equal) or from
/// <c>headerMatches</c>. A <c>headerMatches</c> entry with a <c>mismatch</c> action (LOG, ADD, DELETE, REPLACE) never
/// denies: the proxy acts on the header instead.
/// </summary>
public sealed record HttpHeaderRequirement(string Name, string? Value, string? MismatchAction)
{
    public bool IsSatisfiedBy(HttpRequestInfo request)
    {
        if (MismatchAction is not null)
        {
            return true;
        }

        if (!request.TryGetHeader(Name, out var actual))
        {
            return false;
        }

        return Value is null || string.Equals(actual, Value, StringComparison.Ordinal);
    }

    public override string ToString() => Value is null ? $"header {Name}" : $"header {Name}: {Value}";
}

/// <summary>A regular expression anchored at both ends, as Envoy evaluates Cilium's HTTP rule patterns.</summary>
public sealed class WholeStringRegex
{
    private readonly Regex _regex;

    public WholeStringRegex(string pattern)
    {
        Pattern = pattern;
        _regex = new Regex($"^(?:{pattern})\\z", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    public string Pattern { get; }

    public bool IsMatch(string value) => _regex.IsMatch(value);

    public override string ToString() => Pattern;
}
