using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Net;
using LabNet.Simulator.Cilium.Identity;
using LabNet.Simulator.Cilium.Policy;

namespace LabNet.Simulator.Cilium.Engine;

/// <summary>
/// An immutable view of the policy repository and the identities at one moment. Each identity's tables are compiled
/// on first use and cached; a policy or identity change builds a new snapshot and swaps it in atomically, so verdicts
/// in flight finish on the old one and the next connection sees the new one.
/// </summary>
internal sealed class PolicySnapshot
{
    // Pod identities are dense from 256 up: an array slot per identity makes the lookup an index, not a hash.
    private readonly EndpointPolicy?[] _compiledPods;
    private readonly ConcurrentDictionary<uint, EndpointPolicy> _compiledOthers = new();
    private readonly Func<uint, SecurityIdentity, EndpointPolicy> _compile;
    private readonly Lazy<PolicyRule[]> _rules;
    private readonly Lazy<CidrIdentityIndex> _cidrs;
    private readonly Lazy<FqdnPeer[]> _fqdns;

    public PolicySnapshot(ulong revision, ImmutableDictionary<PolicyKey, CiliumPolicy> policies, IReadOnlyList<SecurityIdentity> identities, bool enforceAlways = false)
    {
        Revision = revision;
        Policies = policies;
        Identities = identities;

        // Built on first use: a burst of imports (a manifest directory) costs one flattening, not one per import.
        _rules = new(() => policies.Values.OrderBy(p => p.Key.ToString(), StringComparer.Ordinal).SelectMany(p => p.Rules).ToArray());
        _cidrs = new(() => new CidrIdentityIndex(identities));
        _fqdns = new(() => Rules.SelectMany(r => r.Egress).SelectMany(r => r.Peers ?? []).OfType<FqdnPeer>().DistinctBy(f => f.Selector.Text).ToArray());
        _compile = (_, subject) => EndpointPolicyCompiler.Compile(subject, Rules, Identities, enforceAlways);
        var highest = identities.Where(i => i.Id < ReservedIdentities.FirstLocalIdentity).Select(i => i.Id).DefaultIfEmpty(0u).Max();
        _compiledPods = new EndpointPolicy?[highest >= ReservedIdentities.FirstClusterIdentity ? highest - ReservedIdentities.FirstClusterIdentity + 1 : 0];
    }

    public ulong Revision { get; }

    /// <summary>Every toFQDNs selector of the repository.</summary>
    public IReadOnlyList<FqdnPeer> FqdnSelectors => _fqdns.Value;

    public ImmutableDictionary<PolicyKey, CiliumPolicy> Policies { get; }

    public IReadOnlyList<PolicyRule> Rules => _rules.Value;

    public IReadOnlyList<SecurityIdentity> Identities { get; }

    public EndpointPolicy For(SecurityIdentity subject)
    {
        var slot = subject.Id - ReservedIdentities.FirstClusterIdentity;
        if (subject.Id < ReservedIdentities.FirstClusterIdentity || slot >= _compiledPods.Length)
        {
            return _compiledOthers.GetOrAdd(subject.Id, _compile, subject);
        }

        var compiled = Volatile.Read(ref _compiledPods[slot]);
        if (compiled is null)
        {
            // Two threads may compile the same identity at once; both results are equal, the first one stays.
            compiled = _compile(subject.Id, subject);
            compiled = Interlocked.CompareExchange(ref _compiledPods[slot], compiled, null) ?? compiled;
        }

        return compiled;
    }

    /// <summary>The identity of an address outside the cluster: the CIDR identity of the longest policy prefix holding it, else world.</summary>
    public SecurityIdentity WorldIdentity(IPAddress address) => _cidrs.Value.Lookup(address) ?? ReservedIdentities.World;

}

/// <summary>Longest-prefix match from an address to the CIDR identities that policies created (the ipcache's job).</summary>
internal sealed class CidrIdentityIndex
{
    private readonly Dictionary<(bool V6, int Length, UInt128 Network), SecurityIdentity> _byPrefix = [];
    private readonly int[] _v4Lengths;
    private readonly int[] _v6Lengths;

    public CidrIdentityIndex(IEnumerable<SecurityIdentity> identities)
    {
        var v4 = new SortedSet<int>(Comparer<int>.Create((a, b) => b.CompareTo(a)));
        var v6 = new SortedSet<int>(Comparer<int>.Create((a, b) => b.CompareTo(a)));
        foreach (var identity in identities)
        {
            if (identity.Prefix is not { PrefixLength: > 0 } prefix)
            {
                continue;
            }

            var isV6 = prefix.BaseAddress.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
            _byPrefix[(isV6, prefix.PrefixLength, Masked(prefix.BaseAddress, prefix.PrefixLength))] = identity;
            (isV6 ? v6 : v4).Add(prefix.PrefixLength);
        }

        _v4Lengths = [.. v4];
        _v6Lengths = [.. v6];
    }

    public SecurityIdentity? Lookup(IPAddress address)
    {
        var isV6 = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        foreach (var length in isV6 ? _v6Lengths : _v4Lengths)
        {
            if (_byPrefix.TryGetValue((isV6, length, Masked(address, length)), out var identity))
            {
                return identity;
            }
        }

        return null;
    }

    private static UInt128 Masked(IPAddress address, int length)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var written);
        var bits = written * 8;
        UInt128 value = 0;
        for (var i = 0; i < written; i++)
        {
            value = (value << 8) | bytes[i];
        }

        var hostBits = bits - length;
        return hostBits >= 128 ? 0 : (value >> hostBits) << hostBits;
    }
}
