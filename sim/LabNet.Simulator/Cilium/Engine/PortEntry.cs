using LabNet.Simulator.Cilium.Policy;

namespace LabNet.Simulator.Cilium.Engine;

/// <summary>
/// One compiled entry (peer, protocol, port prefix): every rule that contributes to it, merged at compile time so a
/// verdict never walks the rules. Entries with the same contributions are shared between peers, and each caches the
/// decision it produces, so an allowed verdict allocates nothing but its result.
/// </summary>
internal sealed class PortEntry
{
    private readonly PolicyDecision?[] _decisions = new PolicyDecision?[7];

    public PortEntry(PolicyReference[] policies, bool hasL7Wildcard, HttpRule[] http, DnsRule[] dns)
    {
        Policies = policies;
        HasL7Wildcard = hasL7Wildcard;
        Http = http;
        Dns = dns;
    }

    public IReadOnlyList<PolicyReference> Policies { get; }

    /// <summary>Some contributing rule has no L7 part: L7 is unrestricted for this entry.</summary>
    public bool HasL7Wildcard { get; }

    public IReadOnlyList<HttpRule> Http { get; }

    public IReadOnlyList<DnsRule> Dns { get; }

    /// <summary>The (immutable) decision this entry gives at a match type, built once.</summary>
    public PolicyDecision Decision(TrafficDirection direction, bool allowed, bool enforced, PolicyMatchType matchType)
    {
        var cached = Volatile.Read(ref _decisions[(int)matchType]);
        if (cached is null)
        {
            cached = new PolicyDecision(direction, allowed, enforced, allowed ? DropReason.DropReasonUnknown : DropReason.PolicyDeny, matchType, Policies, null);
            Volatile.Write(ref _decisions[(int)matchType], cached);
        }

        return cached;
    }
}

/// <summary>Collects the contributions to one entry while compiling.</summary>
internal sealed class PortEntryBuilder
{
    private readonly List<PolicyReference> _policies = [];
    private List<HttpRule>? _http;
    private List<DnsRule>? _dns;
    private bool _hasL7Wildcard;

    public void Add(PolicyReference origin, L7Rules? l7)
    {
        if (!_policies.Contains(origin))
        {
            _policies.Add(origin);
        }

        if (l7 is null)
        {
            _hasL7Wildcard = true;
            return;
        }

        foreach (var rule in l7.Http)
        {
            _http ??= [];
            if (!_http.Contains(rule))
            {
                _http.Add(rule);
            }
        }

        foreach (var rule in l7.Dns)
        {
            _dns ??= [];
            if (!_dns.Contains(rule))
            {
                _dns.Add(rule);
            }
        }
    }

    /// <summary>Freezes the entry, reusing an identical one already built (many peers share the same rules).</summary>
    public PortEntry Build(Dictionary<string, PortEntry> interned)
    {
        var signature = string.Join('|',
            _hasL7Wildcard ? "*" : "",
            string.Join(',', _policies.Select(p => p.GetHashCode())),
            string.Join(',', (_http ?? []).Select(r => r.GetHashCode())),
            string.Join(',', (_dns ?? []).Select(r => r.GetHashCode())));
        if (interned.TryGetValue(signature, out var existing) && Same(existing))
        {
            return existing;
        }

        var entry = new PortEntry([.. _policies], _hasL7Wildcard, [.. _http ?? []], [.. _dns ?? []]);
        interned[signature] = entry;
        return entry;
    }

    // Hash codes can collide: confirm by reference.
    private bool Same(PortEntry entry) =>
        entry.HasL7Wildcard == _hasL7Wildcard
        && entry.Policies.SequenceEqual(_policies, ReferenceEqualityComparer.Instance)
        && entry.Http.SequenceEqual(_http ?? [], ReferenceEqualityComparer.Instance)
        && entry.Dns.SequenceEqual(_dns ?? [], ReferenceEqualityComparer.Instance);
}

/// <summary>
/// One direction's entries. Peers with exactly the same entries (say, every pod that an entity or a broad selector
/// admits) share one peer class, so the table grows with the number of distinct peer treatments, not with
/// peers x rules. The wildcard peer's entries (L4-only rules, entity all) are folded into every class. A lookup is one
/// probe for the peer's class (which also says which key shapes exist for it) and one probe per key shape present,
/// like the datapath's policy map.
/// </summary>
internal sealed class PeerPortMap(Dictionary<uint, PeerClass> peerClasses, PeerClass wildcardOnly, Dictionary<ulong, PeerEntries> entries)
{
    public static readonly PeerPortMap Empty = new([], default, []);

    public bool IsEmpty => entries.Count == 0;

    /// <summary>The class of a peer; peers no selector names get the class holding only the wildcard peer's entries.</summary>
    public PeerClass ClassOf(uint peer) => peerClasses.TryGetValue(peer, out var peerClass) ? peerClass : wildcardOnly;

    public PeerEntries Find(PeerClass peerClass, uint key) => entries.GetValueOrDefault(((ulong)peerClass.Index << 32) | key);
}

/// <summary>A group of peers with identical entries, and the key shapes those entries (and the wildcard's) have.</summary>
internal readonly record struct PeerClass(int Index, int Shapes);

/// <summary>What one key holds for a peer class: the entry for the peer itself and the wildcard peer's entry.</summary>
internal readonly record struct PeerEntries(PortEntry? Peer, PortEntry? Any)
{
    public bool IsEmpty => Peer is null && Any is null;
}

/// <summary>Builds a <see cref="PeerPortMap"/>.</summary>
internal sealed class PeerPortMapBuilder
{
    private readonly Dictionary<uint, Dictionary<uint, PortEntryBuilder>> _byPeer = [];
    private readonly Dictionary<uint, PortEntryBuilder> _anyPeer = [];

    public PortEntryBuilder ForPeer(uint peer, uint key)
    {
        if (!_byPeer.TryGetValue(peer, out var entries))
        {
            entries = [];
            _byPeer[peer] = entries;
        }

        if (!entries.TryGetValue(key, out var entry))
        {
            entry = new PortEntryBuilder();
            entries[key] = entry;
        }

        return entry;
    }

    public PortEntryBuilder ForAnyPeer(uint key)
    {
        if (!_anyPeer.TryGetValue(key, out var entry))
        {
            entry = new PortEntryBuilder();
            _anyPeer[key] = entry;
        }

        return entry;
    }

    public PeerPortMap Build()
    {
        if (_byPeer.Count == 0 && _anyPeer.Count == 0)
        {
            return PeerPortMap.Empty;
        }

        var interned = new Dictionary<string, PortEntry>(StringComparer.Ordinal);
        var entryIds = new Dictionary<PortEntry, int>(ReferenceEqualityComparer.Instance);
        var entries = new Dictionary<ulong, PeerEntries>();

        var any = _anyPeer.ToDictionary(pair => pair.Key, pair => pair.Value.Build(interned));
        var anyShapes = any.Keys.Aggregate(0, (shapes, key) => shapes | PortKey.Shape(key));

        // Class 0: peers no selector names see only the wildcard peer's entries.
        var wildcardOnly = new PeerClass(0, anyShapes);
        foreach (var (key, entry) in any)
        {
            entries[key] = new PeerEntries(null, entry);
        }

        var classes = new Dictionary<string, PeerClass>(StringComparer.Ordinal);
        var peerClasses = new Dictionary<uint, PeerClass>(_byPeer.Count);
        foreach (var (peer, builders) in _byPeer)
        {
            var own = builders
                .Select(pair => (Key: pair.Key, Entry: pair.Value.Build(interned)))
                .OrderBy(pair => pair.Key)
                .ToArray();
            var signature = string.Join(';', own.Select(e => $"{e.Key}:{IdOf(entryIds, e.Entry)}"));
            if (!classes.TryGetValue(signature, out var peerClass))
            {
                peerClass = new PeerClass(classes.Count + 1, own.Aggregate(anyShapes, (shapes, e) => shapes | PortKey.Shape(e.Key)));
                classes[signature] = peerClass;
                var prefix = (ulong)peerClass.Index << 32;
                foreach (var (key, entry) in any)
                {
                    entries[prefix | key] = new PeerEntries(null, entry);
                }

                foreach (var (key, entry) in own)
                {
                    entries[prefix | key] = new PeerEntries(entry, any.GetValueOrDefault(key));
                }
            }

            peerClasses[peer] = peerClass;
        }

        return new PeerPortMap(peerClasses, wildcardOnly, entries);
    }

    private static int IdOf(Dictionary<PortEntry, int> ids, PortEntry entry)
    {
        if (!ids.TryGetValue(entry, out var id))
        {
            id = ids.Count;
            ids[entry] = id;
        }

        return id;
    }
}
