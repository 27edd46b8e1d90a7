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

    public PolicyDecision Decide(uint peer, L4Protocol protocol, int port)
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

    private static Match? FindBest(PeerPortMap map, uint peer, L4Protocol protocol, int port)
    {
        var peerClass = map.ClassOf(peer);
        var peerShapes = peerClass.Shapes;
        var anyShapes = map.AnyShapes;
        var shapes = peerShapes | anyShapes;

        // Most specific port first, and at equal specificity the peer-specific entry, as the datapath's lookup does.
        for (var length = PortKey.ExactPrefix; length >= 1; length--)
        {
            var bit = 1 << length;
            if ((shapes & bit) == 0)
            {
                continue;
            }

            var key = PortKey.Make(protocol, length, port);
            if ((peerShapes & bit) != 0 && map.FindForPeer(peerClass, key) is { } peerEntry)
            {
                return new Match(peerEntry, PolicyMatchType.L3L4, length);
            }

            if ((anyShapes & bit) != 0 && map.FindForAnyPeer(key) is { } anyEntry)
            {
                return new Match(anyEntry, PolicyMatchType.L4Only, length);
            }
        }

        if ((shapes & 1) != 0)
        {
            var protocolKey = PortKey.Make(protocol, 0, 0);
            if ((peerShapes & 1) != 0 && map.FindForPeer(peerClass, protocolKey) is { } peerProtocol)
            {
                return new Match(peerProtocol, PolicyMatchType.L3Proto, 0);
            }

            if ((anyShapes & 1) != 0 && map.FindForAnyPeer(protocolKey) is { } anyProtocol)
            {
                return new Match(anyProtocol, PolicyMatchType.ProtoOnly, 0);
            }
        }

        if ((peerShapes & PortKey.AllProtocolsShape) != 0 && map.FindForPeer(peerClass, PortKey.AllProtocols) is { } peerAll)
        {
            return new Match(peerAll, PolicyMatchType.L3Only, 0);
        }

        if ((anyShapes & PortKey.AllProtocolsShape) != 0 && map.FindForAnyPeer(PortKey.AllProtocols) is { } anyAll)
        {
            return new Match(anyAll, PolicyMatchType.All, 0);
        }

        return null;
    }

    /// <summary>
    /// The proxy is in the path when the port has L7 rules for this endpoint and the peer is allowed on that exact port
    /// or on every port (Cilium adds L3-only peers to the port's L7 filter with an allow-all L7 rule). Its L7 policy is
    /// the union of what those entries allow.
    /// </summary>
    private L7Policy? ProxyFor(uint peer, L4Protocol protocol, int port, int bestPrefixLength)
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
            foreach (var entry in (ReadOnlySpan<PortEntry?>)[_allow.FindForPeer(peerClass, key), _allow.FindForAnyPeer(key)])
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
