using System.Text.RegularExpressions;

namespace LabNet.Simulator.Cilium.Policy;

/// <summary>
/// A DNS name matcher as in <c>rules.dns</c> and <c>toFQDNs</c>: <c>matchName</c> is a literal name, <c>matchPattern</c>
/// has <c>*</c> for any run of DNS characters within one label, a leading <c>**.</c> for any depth of subdomains, and
/// a lone <c>*</c> for every name. Names compare case-insensitively and fully qualified (trailing dot added).
/// </summary>
public sealed class DnsNamePattern
{
    private const string LabelCharacters = "[-a-zA-Z0-9_]";
    private readonly Regex _regex;

    private DnsNamePattern(string text, Regex regex)
    {
        Text = text;
        _regex = regex;
    }

    /// <summary>The selector as written (<c>example.com</c>, <c>*.example.com</c>), lower case, without trailing dot.</summary>
    public string Text { get; }

    public static DnsNamePattern Name(string name)
    {
        var qualified = Qualify(name);
        return new DnsNamePattern(qualified.TrimEnd('.'), new Regex($"^{Regex.Escape(qualified)}$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase));
    }

    public static DnsNamePattern Pattern(string pattern)
    {
        var trimmed = pattern.Trim().ToLowerInvariant();
        if (trimmed == "*")
        {
            return new DnsNamePattern("*", new Regex("^.*$", RegexOptions.CultureInvariant));
        }

        var qualified = Qualify(trimmed);
        var anyDepth = qualified.StartsWith("**.", StringComparison.Ordinal);
        var body = Regex.Escape(anyDepth ? qualified[3..] : qualified).Replace("\\*", LabelCharacters + "*", StringComparison.Ordinal);
        var prefix = anyDepth ? $"(?:{LabelCharacters}+\\.)+" : "";
        return new DnsNamePattern(trimmed.TrimEnd('.'), new Regex($"^{prefix}{body}$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase));
    }

    /// <summary>Whether <paramref name="text"/> is a valid matchName (<paramref name="allowWildcards"/> false) or matchPattern.</summary>
    public static bool IsValid(string text, bool allowWildcards) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' || c is '_' || c is '.' || (allowWildcards && c is '*'));

    public bool Matches(string name) => _regex.IsMatch(Qualify(name));

    public override string ToString() => Text;

    private static string Qualify(string name) => name.EndsWith('.') ? name.ToLowerInvariant() : name.ToLowerInvariant() + ".";
}
