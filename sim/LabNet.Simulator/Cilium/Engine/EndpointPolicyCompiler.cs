using LabNet.Simulator.Cilium.Identity;
using LabNet.Simulator.Cilium.Policy;

namespace LabNet.Simulator.Cilium.Engine;

/// <summary>
/// Compiles the rules that select one identity into its lookup tables: peers are resolved to identity numbers (or the
/// wildcard peer), port ranges to port prefixes, and all rules hitting the same entry are merged.
/// </summary>
internal static class EndpointPolicyCompiler
{
    public static EndpointPolicy Compile(SecurityIdentity subject, IReadOnlyList<PolicyRule> rules, IReadOnlyList<SecurityIdentity> universe, bool enforceAlways = false)
    {
        var ingress = new DirectionBuilder(TrafficDirection.Ingress) { Enforced = enforceAlways && subject.IsPod };
        var egress = new DirectionBuilder(TrafficDirection.Egress) { Enforced = enforceAlways && subject.IsPod };

        // Only pods are selected by endpointSelectors; nodes, world and the rest are never policy subjects here.
        if (subject.IsPod)
        {
            foreach (var rule in rules)
            {
                if (!rule.Subject.Matches(subject.Labels))
                {
                    continue;
                }

                ingress.Enforced |= rule.DefaultDenyIngress;
                egress.Enforced |= rule.DefaultDenyEgress;
                foreach (var peerRule in rule.Ingress) ingress.Add(ingress.Allow, peerRule, rule.Origin, universe);
                foreach (var peerRule in rule.IngressDeny) ingress.Add(ingress.Deny, peerRule, rule.Origin, universe);
                foreach (var peerRule in rule.Egress) egress.Add(egress.Allow, peerRule, rule.Origin, universe);
                foreach (var peerRule in rule.EgressDeny) egress.Add(egress.Deny, peerRule, rule.Origin, universe);
            }
        }

        return new EndpointPolicy(ingress.Build(), egress.Build());
    }

    private sealed class DirectionBuilder(TrafficDirection direction)
    {
        public bool Enforced { get; set; }

        public PeerPortMapBuilder Allow { get; } = new();

        public PeerPortMapBuilder Deny { get; } = new();

        private readonly HashSet<uint> _l7Ports = [];
        private readonly Dictionary<uint, L7Parser> _l7Parsers = [];

        public void Add(PeerPortMapBuilder map, PeerRule rule, PolicyReference origin, IReadOnlyList<SecurityIdentity> universe)
        {
            if (rule.SelectsNothing)
            {
                return;
            }

            // null = the wildcard peer; otherwise the identities the rule's peers select.
            List<uint>? peers = null;
            if (rule.Peers is not null && !rule.Peers.Any(p => p.IsWildcard))
            {
                peers = [];
                foreach (var identity in universe)
                {
                    foreach (var peer in rule.Peers)
                    {
                        if (peer.Matches(identity))
                        {
                            peers.Add(identity.Id);
                            break;
                        }
                    }
                }
            }

            // The port's L7 filter exists even while its selectors match no identity yet (Cilium's L4Filter does):
            // L3-only peers of this endpoint are redirected to the proxy on that port all the same.
            if (ReferenceEquals(map, Allow))
            {
                RegisterL7Ports(rule);
            }

            if (peers is { Count: 0 })
            {
                return;
            }

            if (rule.Ports is null)
            {
                AddEntry(map, peers, PortKey.AllProtocols, origin, null);
                return;
            }

            foreach (var portRule in rule.Ports)
            {
                foreach (var range in portRule.Ports)
                {
                    // HTTP rules only ever apply to TCP; a UDP/SCTP entry of an ANY port stays plain L4.
                    var l7 = portRule.Rules is { Parser: L7Parser.Http } && range.Protocol != IpProtocol.Tcp ? null : portRule.Rules;
                    foreach (var key in Keys(range))
                    {
                        AddEntry(map, peers, key, origin, l7);
                    }
                }
            }
        }

        private static void AddEntry(PeerPortMapBuilder map, List<uint>? peers, uint key, PolicyReference origin, L7Rules? l7)
        {
            if (peers is null)
            {
                map.ForAnyPeer(key).Add(origin, l7);
                return;
            }

            foreach (var peer in peers)
            {
                map.ForPeer(peer, key).Add(origin, l7);
            }
        }

        private void RegisterL7Ports(PeerRule rule)
        {
            foreach (var portRule in rule.Ports ?? [])
            {
                if (portRule.Rules is not { } l7)
                {
                    continue;
                }

                foreach (var range in portRule.Ports)
                {
                    if (l7.Parser == L7Parser.Http && range.Protocol != IpProtocol.Tcp)
                    {
                        continue;
                    }

                    foreach (var key in Keys(range))
                    {
                        _l7Ports.Add(key);
                        _l7Parsers[key] = l7.Parser;
                    }
                }
            }
        }

        public CompiledDirection Build() => new(direction, Enforced, Allow.Build(), Deny.Build(), _l7Ports, _l7Parsers);

        private static IEnumerable<uint> Keys(PortRange range)
        {
            if (range.AllPorts)
            {
                yield return PortKey.Make(range.Protocol, 0, 0);
                yield break;
            }

            foreach (var (port, length) in PortKey.Prefixes(range.Port, range.EndPort))
            {
                yield return PortKey.Make(range.Protocol, length, port);
            }
        }
    }
}
