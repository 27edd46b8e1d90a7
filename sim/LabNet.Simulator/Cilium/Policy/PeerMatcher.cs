using System.Net;
using LabNet.Simulator.Cilium.Identity;
using LabNet.Simulator.Cilium.Labels;

namespace LabNet.Simulator.Cilium.Policy;

/// <summary>One L3 peer a rule names (an endpoint selector, an entity, a CIDR), as a predicate over identities.</summary>
public abstract record PeerMatcher
{
    public abstract bool Matches(SecurityIdentity identity);

    /// <summary>True when the matcher selects every identity (<c>fromEntities: [all]</c>): compiled as a wildcard.</summary>
    public virtual bool IsWildcard => false;

    /// <summary>CIDR prefixes the matcher names; each gets a CIDR identity, like Cilium's ipcache entries.</summary>
    public virtual IEnumerable<IPNetwork> Prefixes => [];
}

/// <summary><c>fromEndpoints</c>/<c>toEndpoints</c> and most entities: a label selector over identities.</summary>
public sealed record SelectorPeer(EndpointSelector Selector) : PeerMatcher
{
    public override bool Matches(SecurityIdentity identity) => Selector.Matches(identity.Labels);

    public override string ToString() => Selector.ToString();
}

/// <summary>The <c>all</c> entity: every identity, inside or outside the cluster.</summary>
public sealed record AllPeer : PeerMatcher
{
    public static readonly AllPeer Instance = new();

    public override bool Matches(SecurityIdentity identity) => true;

    public override bool IsWildcard => true;

    public override string ToString() => "entity:all";
}

/// <summary>
/// <c>fromCIDR</c>/<c>fromCIDRSet</c> (and <c>to*</c>): identities outside the cluster whose prefix lies inside the CIDR
/// and inside none of the exceptions. Pods are never matched by CIDR, as in Cilium.
/// </summary>
public sealed record CidrPeer(IPNetwork Cidr, IReadOnlyList<IPNetwork> Except) : PeerMatcher
{
    public override bool Matches(SecurityIdentity identity)
    {
        if (identity.Prefix is not { } prefix || !Contains(Cidr, prefix))
        {
            return false;
        }

        foreach (var except in Except)
        {
            if (Contains(except, prefix))
            {
                return false;
            }
        }

        return true;
    }

    public override IEnumerable<IPNetwork> Prefixes => [Cidr, .. Except];

    public override string ToString() => Except.Count == 0 ? Cidr.ToString() : $"{Cidr} except {string.Join(",", Except)}";

    /// <summary>Whether <paramref name="inner"/> lies entirely inside <paramref name="outer"/>.</summary>
    public static bool Contains(IPNetwork outer, IPNetwork inner) =>
        inner.PrefixLength >= outer.PrefixLength
        && inner.BaseAddress.AddressFamily == outer.BaseAddress.AddressFamily
        && outer.Contains(inner.BaseAddress);
}

/// <summary>
/// <c>toFQDNs</c>: addresses outside the cluster that Cilium's DNS proxy saw returned for a name this selector
/// matches. Such an address carries the label <c>fqdn:&lt;selector&gt;</c> in its identity.
/// </summary>
public sealed record FqdnPeer(DnsNamePattern Selector) : PeerMatcher
{
    public Label IdentityLabel => new(LabelSources.Fqdn, Selector.Text, "");

    public override bool Matches(SecurityIdentity identity) => identity.Labels.Contains(LabelSources.Fqdn, Selector.Text);

    public override string ToString() => $"fqdn:{Selector}";
}
