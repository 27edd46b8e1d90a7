using LabNet.Simulator.Cilium.Policy;

namespace LabNet.Simulator.Cilium.Engine;

/// <summary>
/// One endpoint's policy in one direction, compiled into lookup tables. A verdict probes a fixed number of keys (the
/// port prefix lengths present, then protocol-only, then L3-only; each for the peer and for the wildcard peer), so its
/// cost does not depend on how many rules exist.
/// </summary>
internal sealed class CompiledDirection(TrafficDirection direction, bool enforced, PeerPortMap allow, PeerPortMap deny, HashSet<uint> l7Ports, Dictionary<uint, L7Parser> l7Parsers)
{
    public TrafficDirection Direction { get; } = direction;

    public bool Enforced { get; } = enforced;

    public PolicyDecision Decide(uint peer, L4Protocol protocol, int port)
    {
        if (!Enforced && allow.IsEmpty && deny.IsEmpty)
        {
            return PolicyDecision.Unenforced(Direction);
        }

        var denied = deny.IsEmpty ? null : CollectDenies(peer, protocol, port);
        if (denied is not null)
        {
            return new PolicyDecision(Direction, false, Enforced, DropReason.PolicyDeny, denied.Value.MatchType, denied.Value.Policies, null);
        }

        allow.ByPeer.TryGetValue(peer, out var peerTable);
        var best = FindBest(peerTable, allow.AnyPeer, protocol, port);
        if (best is null)
        {
            return Enforced
                ? new PolicyDecision(Direction, false, true, DropReason.PolicyDenied, PolicyMatchType.None, [], null)
                : PolicyDecision.Unenforced(Direction);
        }

        var proxy = ProxyFor(peerTable, protocol, port, best.Value.PrefixLength);
        return new PolicyDecision(Direction, true, Enforced, DropReason.DropReasonUnknown, best.Value.MatchType, best.Value.Entry.Policies, proxy);
    }

    private (PolicyMatchType MatchType, IReadOnlyList<PolicyReference> Policies)? CollectDenies(uint peer, L4Protocol protocol, int port)
    {
        // Deny wins over allow at any specificity, so the first deny found decides.
        deny.ByPeer.TryGetValue(peer, out var peerTable);
        var found = FindBest(peerTable, deny.AnyPeer, protocol, port);
        return found is null ? null : (found.Value.MatchType, found.Value.Entry.Policies);
    }

    private static Match? FindBest(PortTable? peerTable, PortTable anyPeer, L4Protocol protocol, int port)
    {
        var prefixLengths = (peerTable?.PrefixLengths ?? 0) | anyPeer.PrefixLengths;

        // Most specific port first, and at equal specificity the peer-specific entry, as the datapath's lookup does.
        for (var length = PortKey.ExactPrefix; length >= 1; length--)
        {
            if ((prefixLengths & (1 << length)) == 0)
            {
                continue;
            }

            var key = PortKey.Make(protocol, length, port);
            if (peerTable?.Find(key) is { } peerEntry)
            {
                return new Match(peerEntry, PolicyMatchType.L3L4, length);
            }

            if (anyPeer.Find(key) is { } anyEntry)
            {
                return new Match(anyEntry, PolicyMatchType.L4Only, length);
            }
        }

        var protocolKey = PortKey.Make(protocol, 0, 0);
        if (peerTable?.Find(protocolKey) is { } peerProtocol)
        {
            return new Match(peerProtocol, PolicyMatchType.L3Proto, 0);
        }

        if (anyPeer.Find(protocolKey) is { } anyProtocol)
        {
            return new Match(anyProtocol, PolicyMatchType.ProtoOnly, 0);
        }

        if (peerTable?.Find(PortKey.AllProtocols) is { } peerAll)
        {
            return new Match(peerAll, PolicyMatchType.L3Only, 0);
        }

        if (anyPeer.Find(PortKey.AllProtocols) is { } anyAll)
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
    private L7Policy? ProxyFor(PortTable? peerTable, L4Protocol protocol, int port, int bestPrefixLength)
    {
        if (l7Ports.Count == 0 || bestPrefixLength is not (PortKey.ExactPrefix or 0))
        {
            return null;
        }

        var exactKey = PortKey.Make(protocol, PortKey.ExactPrefix, port);
        if (!l7Ports.Contains(exactKey))
        {
            return null;
        }

        var allowsEverything = false;
        var http = new List<HttpRule>();
        var dns = new List<DnsRule>();
        var policies = new List<PolicyReference>();
        foreach (var key in (ReadOnlySpan<uint>)[exactKey, PortKey.Make(protocol, 0, 0), PortKey.AllProtocols])
        {
            foreach (var table in (ReadOnlySpan<PortTable?>)[peerTable, allow.AnyPeer])
            {
                if (table?.Find(key) is not { } entry)
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

        return new L7Policy(l7Parsers[exactKey], allowsEverything, http, dns, policies);
    }

    private readonly record struct Match(PortEntry Entry, PolicyMatchType MatchType, int PrefixLength);
}
