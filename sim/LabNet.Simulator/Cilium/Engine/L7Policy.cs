using LabNet.Simulator.Cilium.Policy;

namespace LabNet.Simulator.Cilium.Engine;

/// <summary>
/// What Cilium's proxy enforces on one redirected connection: the union of the L7 rules of every rule that allows this
/// peer on this port. If any of those rules has no L7 part, L7 is not restricted (Cilium's L7 wildcard merge), but the
/// proxy still sits in the path, so Hubble still sees the HTTP requests.
/// </summary>
public sealed class L7Policy
{
    internal L7Policy(L7Parser parser, bool allowsEverything, IReadOnlyList<HttpRule> http, IReadOnlyList<DnsRule> dns, IReadOnlyList<PolicyReference> policies)
    {
        Parser = parser;
        AllowsEverything = allowsEverything;
        HttpRules = http;
        DnsRules = dns;
        Policies = policies;
    }

    public L7Parser Parser { get; }

    public bool AllowsEverything { get; }

    public IReadOnlyList<HttpRule> HttpRules { get; }

    public IReadOnlyList<DnsRule> DnsRules { get; }

    /// <summary>The policies whose L7 rules the proxy enforces here.</summary>
    public IReadOnlyList<PolicyReference> Policies { get; }

    /// <summary>A request is allowed when at least one HTTP rule matches it (all of that rule's fields).</summary>
    public bool AllowsHttp(HttpRequestInfo request)
    {
        if (AllowsEverything || Parser != L7Parser.Http)
        {
            return true;
        }

        foreach (var rule in HttpRules)
        {
            if (rule.Allows(request))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A DNS query is allowed when a dns rule matches the name (otherwise the proxy answers REFUSED).</summary>
    public bool AllowsDns(string query)
    {
        if (AllowsEverything || Parser != L7Parser.Dns)
        {
            return true;
        }

        foreach (var rule in DnsRules)
        {
            if (rule.Allows(query))
            {
                return true;
            }
        }

        return false;
    }

    public override string ToString() => AllowsEverything
        ? $"{Parser} proxy, all allowed"
        : $"{Parser} proxy: {string.Join(" | ", HttpRules.Select(r => r.ToString()).Concat(DnsRules.Select(r => r.ToString())))}";
}
