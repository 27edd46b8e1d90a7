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
/// One direction's entries in two flat maps: per (peer identity, port key), and for the wildcard peer (L4-only rules,
/// entity all). Flat keys keep a probe to one hash lookup, like the datapath's policy map; a per-peer mask of the key
/// shapes present means a lookup only probes keys that can exist.
/// </summary>
internal sealed class PeerPortMap(Dictionary<ulong, PortEntry> byPeer, Dictionary<uint, int> peerShapes, Dictionary<uint, PortEntry> anyPeer, int anyShapes)
{
    public static readonly PeerPortMap Empty = new([], [], [], 0);

    public bool IsEmpty => byPeer.Count == 0 && anyPeer.Count == 0;

    /// <summary>The key shapes of the wildcard peer's entries (see <see cref="PortKey.Shape"/>).</summary>
    public int AnyShapes { get; } = anyShapes;

    /// <summary>The key shapes present for one peer; 0 when the peer has no entry.</summary>
    public int ShapesForPeer(uint peer) => peerShapes.GetValueOrDefault(peer);

    public PortEntry? FindForPeer(uint peer, uint key) => byPeer.GetValueOrDefault(((ulong)peer << 32) | key);

    public PortEntry? FindForAnyPeer(uint key) => anyPeer.GetValueOrDefault(key);
}

/// <summary>Builds a <see cref="PeerPortMap"/>.</summary>
internal sealed class PeerPortMapBuilder
{
    private readonly Dictionary<ulong, PortEntryBuilder> _byPeer = [];
    private readonly Dictionary<uint, int> _peerShapes = [];
    private readonly Dictionary<uint, PortEntryBuilder> _anyPeer = [];
    private int _anyShapes;

    public PortEntryBuilder ForPeer(uint peer, uint key)
    {
        var composite = ((ulong)peer << 32) | key;
        if (!_byPeer.TryGetValue(composite, out var entry))
        {
            entry = new PortEntryBuilder();
            _byPeer[composite] = entry;
            _peerShapes[peer] = _peerShapes.GetValueOrDefault(peer) | PortKey.Shape(key);
        }

        return entry;
    }

    public PortEntryBuilder ForAnyPeer(uint key)
    {
        if (!_anyPeer.TryGetValue(key, out var entry))
        {
            entry = new PortEntryBuilder();
            _anyPeer[key] = entry;
            _anyShapes |= PortKey.Shape(key);
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
        var byPeer = new Dictionary<ulong, PortEntry>(_byPeer.Count);
        foreach (var (key, builder) in _byPeer)
        {
            byPeer[key] = builder.Build(interned);
        }

        var anyPeer = new Dictionary<uint, PortEntry>(_anyPeer.Count);
        foreach (var (key, builder) in _anyPeer)
        {
            anyPeer[key] = builder.Build(interned);
        }

        return new PeerPortMap(byPeer, new Dictionary<uint, int>(_peerShapes), anyPeer, _anyShapes);
    }
}
