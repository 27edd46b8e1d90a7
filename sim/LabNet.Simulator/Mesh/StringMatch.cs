using System.Text.RegularExpressions;

namespace LabNet.Simulator.Mesh;

/// <summary>
/// Istio's <c>StringMatch</c>: <c>exact</c>, <c>prefix</c> or <c>regex</c>. Regexes are RE2 and must match the whole
/// value (Envoy's safe_regex has no partial matching); a linear-time engine stands in for RE2.
/// </summary>
public sealed class StringMatch
{
    private readonly Regex? _regex;

    private StringMatch(StringMatchKind kind, string value, Regex? regex)
    {
        Kind = kind;
        Value = value;
        _regex = regex;
    }

    public StringMatchKind Kind { get; }

    public string Value { get; }

    public static StringMatch Exact(string value) => new(StringMatchKind.Exact, value, null);

    public static StringMatch Prefix(string value) => new(StringMatchKind.Prefix, value, null);

    /// <exception cref="ArgumentException">The pattern does not compile.</exception>
    public static StringMatch Regex(string pattern) =>
        new(StringMatchKind.Regex, pattern, new Regex($"^(?:{pattern})$", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking, TimeSpan.FromSeconds(1)));

    public bool Matches(string? value) => value is not null && Kind switch
    {
        StringMatchKind.Exact => string.Equals(value, Value, StringComparison.Ordinal),
        StringMatchKind.Prefix => value.StartsWith(Value, StringComparison.Ordinal),
        _ => _regex!.IsMatch(value),
    };

    public override string ToString() => $"{Kind.ToString().ToLowerInvariant()}: {Value}";
}

public enum StringMatchKind
{
    Exact,
    Prefix,
    Regex,
}
