using LabNet.Simulator.Cilium.Policy;

namespace LabNet.Simulator.Cilium.Engine;

/// <summary>
/// One endpoint's policy in one direction, compiled into lookup tables. A verdict probes a fixed number of keys (the
/// port prefix lengths present, then protocol-only, then L3-only; each for the peer and for the wildcard peer), so its
/// cost does not depend on how many rules exist.
/// </summary>
internal sealed class CompiledDirection
{
    private readonly PeerPortMap _allow;
    private readonly PeerPortMap _deny;
    private readonly HashSet<uint> _l7Ports;
    private readonly Dictionary<uint, L7Parser> _l7Parsers;
    private readonly PolicyDecision _defaultDeny;

    public CompiledDirection(TrafficDirection direction, bool enforced, PeerPortMap allow, PeerPortMap deny, HashSet<uint> l7Ports, Dictionary<uint, L7Parser> l7Parsers)
    {
        Direction = direction;
        Enforced = enforced;
        _allow = allow;
        _deny = deny;
        _l7Ports = l7Ports;
        _l7Parsers = l7Parsers;
        _defaultDeny = new PolicyDecision(direction, false, true, DropReason.PolicyDenied, PolicyMatchType.None, [], null);
    }

    public TrafficDirection Direction { get; }

    public bool Enforced { get; }

    public PolicyDecision Decide(uint peer, IpProtocol protocol, int port)
    {
        if (!Enforced && _allow.IsEmpty && _deny.IsEmpty)
        {
            return PolicyDecision.Unenforced(Direction);
        }

        // Deny wins over allow at any specificity, so the first deny found decides.
        if (!_deny.IsEmpty && FindBest(_deny, peer, protocol, port) is { } denied)
        {
            return denied.Entry.Decision(Direction, allowed: false, Enforced, denied.MatchType);
        }

        if (FindBest(_allow, peer, protocol, port) is not { } best)
        {
            return Enforced ? _defaultDeny : PolicyDecision.Unenforced(Direction);
        }

        var proxy = ProxyFor(peer, protocol, port, best.PrefixLength);
        return proxy is null
            ? best.Entry.Decision(Direction, allowed: true, Enforced, best.MatchType)
            : new PolicyDecision(Direction, true, Enforced, DropReason.DropReasonUnknown, best.MatchType, best.Entry.Policies, proxy);
    }

    private static Match? FindBest(PeerPortMap map, uint peer, IpProtocol protocol, int port)
    {
        var peerClass = map.ClassOf(peer);
        var shapes = peerClass.Shapes;
        if (shapes == 0)
        {
            return null;
        }

        // Most specific port first, and at equal specificity the peer-specific entry, as the datapath's lookup does.
        for (var length = PortKey.ExactPrefix; length >= 1; length--)
        {
            if ((shapes & (1 << length)) != 0 && Pick(map.Find(peerClass, PortKey.Make(protocol, length, port)), PolicyMatchType.L3L4, PolicyMatchType.L4Only, length) is { } match)
            {
                return match;
            }
        }

        if ((shapes & 1) != 0 && Pick(map.Find(peerClass, PortKey.Make(protocol, 0, 0)), PolicyMatchType.L3Proto, PolicyMatchType.ProtoOnly, 0) is { } protocolMatch)
        {
            return protocolMatch;
        }

        return (shapes & PortKey.AllProtocolsShape) != 0
            ? Pick(map.Find(peerClass, PortKey.AllProtocols), PolicyMatchType.L3Only, PolicyMatchType.All, 0)
            : null;
    }

    private static Match? Pick(PeerEntries entries, PolicyMatchType peerMatch, PolicyMatchType anyMatch, int prefixLength) =>
        entries.Peer is { } peer ? new Match(peer, peerMatch, prefixLength)
        : entries.Any is { } any ? new Match(any, anyMatch, prefixLength)
        : null;

    /// <summary>
    /// The proxy is in the path when the port has L7 rules for this endpoint and the peer is allowed on that exact port
    /// or on every port (Cilium adds L3-only peers to the port's L7 filter with an allow-all L7 rule). Its L7 policy is
    /// the union of what those entries allow.
    /// </summary>
    private L7Policy? ProxyFor(uint peer, IpProtocol protocol, int port, int bestPrefixLength)
    {
        if (_l7Ports.Count == 0 || bestPrefixLength is not (PortKey.ExactPrefix or 0))
        {
            return null;
        }

        var exactKey = PortKey.Make(protocol, PortKey.ExactPrefix, port);
        if (!_l7Ports.Contains(exactKey))
        {
            return null;
        }

        var peerClass = _allow.ClassOf(peer);
        var allowsEverything = false;
        var http = new List<HttpRule>();
        var dns = new List<DnsRule>();
        var policies = new List<PolicyReference>();
        foreach (var key in (ReadOnlySpan<uint>)[exactKey, PortKey.Make(protocol, 0, 0), PortKey.AllProtocols])
        {
            var found = _allow.Find(peerClass, key);
            foreach (var entry in (ReadOnlySpan<PortEntry?>)[found.Peer, found.Any])
            {
                if (entry is null)
                {
                    continue;
                }

                allowsEverything |= entry.HasL7Wildcard;
                http.AddRange(entry.Http);
                dns.AddRange(entry.Dns);
                foreach (var policy in entry.Policies)
                {
                    if (!policies.Contains(policy))
                    {
                        policies.Add(policy);
                    }
                }
            }
        }

        return new L7Policy(_l7Parsers[exactKey], allowsEverything, http, dns, policies);
    }

    private readonly record struct Match(PortEntry Entry, PolicyMatchType MatchType, int PrefixLength);
}
