using System.Text.RegularExpressions;

namespace LabNet.Simulator.Cilium.Policy;

/// <summary>
/// One <c>rules.dns</c> entry: <c>matchName</c> (a literal name) or <c>matchPattern</c> (<c>*</c> = any run of DNS
/// characters within one label, a lone <c>*</c> = every name). Names compare case-insensitively, fully qualified.
/// </summary>
public sealed record DnsRule(string? MatchName, string? MatchPattern)
{
    private readonly Regex? _pattern = MatchPattern is null ? null : Compile(MatchPattern);

    public bool Allows(string query)
    {
        var name = Qualify(query);
        if (MatchName is not null && string.Equals(Qualify(MatchName), name, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        return _pattern is not null && _pattern.IsMatch(name);
    }

    public override string ToString() => MatchName is not null ? $"matchName={MatchName}" : $"matchPattern={MatchPattern}";

    private static string Qualify(string name) => name.EndsWith('.') ? name : name + ".";

    private static Regex Compile(string pattern)
    {
        if (pattern.Trim() == "*")
        {
            return new Regex("^.*$", RegexOptions.CultureInvariant);
        }

        var qualified = Qualify(pattern);
        var body = Regex.Escape(qualified).Replace("\\*", "[-a-zA-Z0-9_]*", StringComparison.Ordinal);
        return new Regex($"^{body}$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);
    }
}
