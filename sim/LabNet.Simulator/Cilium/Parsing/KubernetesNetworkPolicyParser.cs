using System.Text.Json;
using System.Text.Json.Nodes;
using LabNet.Simulator.Cilium.Labels;
using LabNet.Simulator.Cilium.Policy;

namespace LabNet.Simulator.Cilium.Parsing;

/// <summary>
/// Translates a <c>networking.k8s.io/v1</c> NetworkPolicy into a Cilium rule the way the agent does: podSelector scoped
/// to the namespace, <c>policyTypes</c> deciding default deny (Ingress always, Egress when listed or when egress rules
/// exist), an empty peer list meaning every peer, namespaceSelector over the namespace-label labels, ipBlock as CIDR.
/// </summary>
internal static class KubernetesNetworkPolicyParser
{
    public const string ApiVersion = "networking.k8s.io/v1";

    private static readonly string[] SpecFields = ["podSelector", "policyTypes", "ingress", "egress"];
    private static readonly string[] PeerFields = ["podSelector", "namespaceSelector", "ipBlock"];

    public static PolicyRule? Parse(PolicyParseContext context, JsonNode? node, string path, string @namespace, PolicyReference reference)
    {
        if (context.Object(node, path) is not { } spec)
        {
            context.Error(path, "is required; add a spec with a podSelector");
            return null;
        }

        context.RejectUnknownFields(spec, path, SpecFields);
        if (!spec.ContainsKey("podSelector"))
        {
            context.Error(PolicyParseContext.Join(path, "podSelector"), "is required; use podSelector: {} to select every pod of the namespace");
        }

        var subject = SelectorParser.Parse(context, spec["podSelector"], PolicyParseContext.Join(path, "podSelector"))
            ?.With(new LabelRequirement(LabelSources.K8s, IdentityLabelKeys.PodNamespace, SelectorOperator.In, [@namespace]));

        var types = new List<string>();
        if (context.Array(spec["policyTypes"], PolicyParseContext.Join(path, "policyTypes")) is { } typeArray)
        {
            for (var i = 0; i < typeArray.Count; i++)
            {
                var typePath = PolicyParseContext.Index(PolicyParseContext.Join(path, "policyTypes"), i);
                if (context.String(typeArray[i], typePath) is { } type)
                {
                    if (type is not ("Ingress" or "Egress"))
                    {
                        context.Error(typePath, $"\"{type}\" is not a policy type; use Ingress or Egress");
                    }

                    types.Add(type);
                }
            }
        }
        else
        {
            types.Add("Ingress");
            if (spec["egress"] is not null)
            {
                types.Add("Egress");
            }
        }

        var ingress = ParseRules(context, spec["ingress"], PolicyParseContext.Join(path, "ingress"), "from", @namespace);
        var egress = ParseRules(context, spec["egress"], PolicyParseContext.Join(path, "egress"), "to", @namespace);
        if (subject is null)
        {
            return null;
        }

        return new PolicyRule(subject, ingress, [], egress, [], types.Contains("Ingress"), types.Contains("Egress"), reference);
    }

    private static List<PeerRule> ParseRules(PolicyParseContext context, JsonNode? node, string path, string peersField, string @namespace)
    {
        var rules = new List<PeerRule>();
        if (context.Array(node, path) is not { } array)
        {
            return rules;
        }

        for (var i = 0; i < array.Count; i++)
        {
            var rulePath = PolicyParseContext.Index(path, i);
            if (context.Object(array[i], rulePath) is not { } obj)
            {
                continue;
            }

            context.RejectUnknownFields(obj, rulePath, [peersField, "ports"]);
            var peers = ParsePeers(context, obj[peersField], PolicyParseContext.Join(rulePath, peersField), @namespace);
            var ports = ParsePorts(context, obj["ports"], PolicyParseContext.Join(rulePath, "ports"));

            // An absent or empty peer list means every peer, absent or empty ports every port.
            IReadOnlyList<PeerMatcher> peerList = peers is { Count: > 0 } ? peers : [AllPeer.Instance];
            rules.Add(new PeerRule(peerList, ports is { Count: > 0 } ? [new PortRule(ports, null)] : null, rulePath));
        }

        return rules;
    }

    private static List<PeerMatcher>? ParsePeers(PolicyParseContext context, JsonNode? node, string path, string @namespace)
    {
        if (context.Array(node, path) is not { } array)
        {
            return null;
        }

        var peers = new List<PeerMatcher>();
        for (var i = 0; i < array.Count; i++)
        {
            var peerPath = PolicyParseContext.Index(path, i);
            if (context.Object(array[i], peerPath) is not { } obj)
            {
                continue;
            }

            context.RejectUnknownFields(obj, peerPath, PeerFields);
            if (obj["ipBlock"] is { } ipBlock)
            {
                if (obj.ContainsKey("podSelector") || obj.ContainsKey("namespaceSelector"))
                {
                    context.Error(peerPath, "ipBlock cannot be combined with podSelector or namespaceSelector in one peer; use separate peers");
                    continue;
                }

                if (context.Object(ipBlock, PolicyParseContext.Join(peerPath, "ipBlock")) is { } block
                    && PortParser.ParseCidrSet(context, block, PolicyParseContext.Join(peerPath, "ipBlock"), ["cidr", "except"]) is { } peer)
                {
                    peers.Add(peer);
                }

                continue;
            }

            if (!obj.ContainsKey("podSelector") && !obj.ContainsKey("namespaceSelector"))
            {
                context.Error(peerPath, "a peer needs podSelector, namespaceSelector or ipBlock");
                continue;
            }

            var selector = obj.ContainsKey("podSelector")
                ? SelectorParser.Parse(context, obj["podSelector"], PolicyParseContext.Join(peerPath, "podSelector"))
                : EndpointSelector.All;
            if (selector is null)
            {
                continue;
            }

            if (obj.ContainsKey("namespaceSelector"))
            {
                var namespaceSelector = SelectorParser.Parse(context, obj["namespaceSelector"], PolicyParseContext.Join(peerPath, "namespaceSelector"));
                if (namespaceSelector is null)
                {
                    continue;
                }

                // Namespace labels appear on pods as k8s:io.cilium.k8s.namespace.labels.<key>.
                var requirements = namespaceSelector.Requirements
                    .Select(r => r with { Source = LabelSources.K8s, Key = IdentityLabelKeys.NamespaceLabelPrefix + r.Key })
                    .Append(new LabelRequirement(LabelSources.K8s, IdentityLabelKeys.PodNamespace, SelectorOperator.Exists, []));
                selector = new EndpointSelector([.. selector.Requirements, .. requirements]);
            }
            else
            {
                selector = selector.With(new LabelRequirement(LabelSources.K8s, IdentityLabelKeys.PodNamespace, SelectorOperator.In, [@namespace]));
            }

            peers.Add(new SelectorPeer(selector));
        }

        return peers;
    }

    private static List<PortRange>? ParsePorts(PolicyParseContext context, JsonNode? node, string path)
    {
        if (context.Array(node, path) is not { } array)
        {
            return null;
        }

        var ports = new List<PortRange>();
        for (var i = 0; i < array.Count; i++)
        {
            var portPath = PolicyParseContext.Index(path, i);
            if (context.Object(array[i], portPath) is not { } obj)
            {
                continue;
            }

            context.RejectUnknownFields(obj, portPath, ["port", "endPort", "protocol"]);
            var protocolText = context.String(obj["protocol"], PolicyParseContext.Join(portPath, "protocol")) ?? "TCP";
            IpProtocol? protocol = protocolText switch
            {
                "TCP" => IpProtocol.Tcp,
                "UDP" => IpProtocol.Udp,
                "SCTP" => IpProtocol.Sctp,
                _ => null,
            };
            if (protocol is null)
            {
                context.Error(PolicyParseContext.Join(portPath, "protocol"), $"\"{protocolText}\" is not a protocol; use TCP, UDP or SCTP");
                continue;
            }

            var port = 0;
            if (obj["port"] is JsonValue portValue)
            {
                if (portValue.GetValueKind() == JsonValueKind.Number && portValue.TryGetValue<long>(out var number) && number is >= 1 and <= 65535)
                {
                    port = (int)number;
                }
                else
                {
                    context.Error(PolicyParseContext.Join(portPath, "port"),
                        $"{portValue.ToJsonString()} is not a port number LabNet can simulate (named ports are not simulated); use 1-65535");
                    continue;
                }
            }

            var endPort = port;
            if (context.Integer(obj["endPort"], PolicyParseContext.Join(portPath, "endPort")) is { } end)
            {
                if (port == 0 || end < port || end > 65535)
                {
                    context.Error(PolicyParseContext.Join(portPath, "endPort"), $"{end} must be >= port and <= 65535, and needs a numeric port");
                    continue;
                }

                endPort = (int)end;
            }

            ports.Add(new PortRange(protocol.Value, port, endPort));
        }

        return ports;
    }
}
