using LabNet.Simulator.Cilium.Policy;

namespace LabNet.Simulator.Cilium.Engine;

/// <summary>
/// One compiled entry (peer, protocol, port prefix): every rule that contributes to it, merged at compile time so a
/// verdict never walks the rules.
/// </summary>
internal sealed class PortEntry
{
    private readonly List<PolicyReference> _policies = [];
    private readonly List<HttpRule> _http = [];
    private readonly List<DnsRule> _dns = [];

    public IReadOnlyList<PolicyReference> Policies => _policies;

    /// <summary>Some contributing rule has no L7 part: L7 is unrestricted for this entry.</summary>
    public bool HasL7Wildcard { get; private set; }

    public IReadOnlyList<HttpRule> Http => _http;

    public IReadOnlyList<DnsRule> Dns => _dns;

    public void Add(PolicyReference origin, L7Rules? l7)
    {
        if (!_policies.Contains(origin))
        {
            _policies.Add(origin);
        }

        if (l7 is null)
        {
            HasL7Wildcard = true;
            return;
        }

        foreach (var rule in l7.Http)
        {
            if (!_http.Contains(rule))
            {
                _http.Add(rule);
            }
        }

        foreach (var rule in l7.Dns)
        {
            if (!_dns.Contains(rule))
            {
                _dns.Add(rule);
            }
        }
    }
}

/// <summary>The entries of one peer (or of the any-peer wildcard) in one direction, keyed by <see cref="PortKey"/>.</summary>
internal sealed class PortTable
{
    private readonly Dictionary<uint, PortEntry> _entries = [];

    /// <summary>Bit n set when some entry has port prefix length n (1-16): which prefixes a lookup must probe.</summary>
    public int PrefixLengths { get; private set; }

    public int Count => _entries.Count;

    public PortEntry GetOrAdd(uint key)
    {
        if (!_entries.TryGetValue(key, out var entry))
        {
            entry = new PortEntry();
            _entries[key] = entry;
            PrefixLengths |= 1 << PortKey.PrefixLength(key);
        }

        return entry;
    }

    public PortEntry? Find(uint key) => _entries.GetValueOrDefault(key);
}

/// <summary>One direction's entries: per peer identity, plus the wildcard-peer table (L4-only rules, entity all).</summary>
internal sealed class PeerPortMap
{
    public Dictionary<uint, PortTable> ByPeer { get; } = [];

    public PortTable AnyPeer { get; } = new();

    public bool IsEmpty => ByPeer.Count == 0 && AnyPeer.Count == 0;

    public PortTable ForPeer(uint identity)
    {
        if (!ByPeer.TryGetValue(identity, out var table))
        {
            table = new PortTable();
            ByPeer[identity] = table;
        }

        return table;
    }
}
