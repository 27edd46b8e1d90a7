using System.Text.Json.Nodes;
using LabNet.Simulator.Cilium.Labels;
using LabNet.Simulator.Cilium.Policy;

namespace LabNet.Simulator.Cilium.Parsing;

/// <summary>
/// Turns a policy object in its wire form (what the Kubernetes API stores: <c>apiVersion</c>, <c>kind</c>,
/// <c>metadata</c>, <c>spec</c>/<c>specs</c>) into rules with Cilium's meaning. Accepts <c>cilium.io/v2</c>
/// CiliumNetworkPolicy and CiliumClusterwideNetworkPolicy, and <c>networking.k8s.io/v1</c> NetworkPolicy. A policy with
/// any error is rejected whole (<see cref="InvalidPolicyException"/>): it never half-applies.
/// </summary>
public static class CiliumPolicyParser
{
    public const string CiliumApiVersion = "cilium.io/v2";

    private static readonly string[] RuleFields =
        ["endpointSelector", "nodeSelector", "ingress", "ingressDeny", "egress", "egressDeny", "labels", "description", "enableDefaultDeny", "log"];

    private static readonly string[] IngressFields =
        ["fromEndpoints", "fromRequires", "fromCIDR", "fromCIDRSet", "fromEntities", "fromGroups", "fromNodes", "toPorts", "icmps", "authentication"];

    private static readonly string[] EgressFields =
        ["toEndpoints", "toRequires", "toCIDR", "toCIDRSet", "toEntities", "toServices", "toFQDNs", "toGroups", "toNodes", "toPorts", "icmps", "authentication"];

    private static readonly HashSet<string> Entities =
        ["all", "world", "world-ipv4", "world-ipv6", "cluster", "host", "init", "ingress", "unmanaged", "remote-node", "health", "none", "kube-apiserver"];

    /// <summary>Parses one object. <paramref name="revision"/> is the policy repository revision Hubble reports.</summary>
    /// <exception cref="InvalidPolicyException">The object is not a valid policy; nothing of it may be applied.</exception>
    public static CiliumPolicy Parse(JsonObject obj, ulong revision, string clusterName = "default")
    {
        ArgumentNullException.ThrowIfNull(obj);
        var context = new PolicyParseContext();
        var apiVersion = context.String(obj["apiVersion"], "apiVersion");
        var kindText = context.String(obj["kind"], "kind");
        var metadata = context.Object(obj["metadata"], "metadata");
        var name = metadata is null ? null : context.String(metadata["name"], "metadata.name");
        var @namespace = metadata is null ? null : context.String(metadata["namespace"], "metadata.namespace");
        var uid = metadata is null ? null : context.String(metadata["uid"], "metadata.uid");

        PolicyKind kind;
        switch (apiVersion, kindText)
        {
            case (CiliumApiVersion, "CiliumNetworkPolicy"):
                kind = PolicyKind.CiliumNetworkPolicy;
                @namespace = string.IsNullOrEmpty(@namespace) ? "default" : @namespace;
                break;
            case (CiliumApiVersion, "CiliumClusterwideNetworkPolicy"):
                kind = PolicyKind.CiliumClusterwideNetworkPolicy;
                @namespace = null;
                break;
            case (KubernetesNetworkPolicyParser.ApiVersion, "NetworkPolicy"):
                kind = PolicyKind.NetworkPolicy;
                @namespace = string.IsNullOrEmpty(@namespace) ? "default" : @namespace;
                break;
            default:
                throw new InvalidPolicyException(
                    $"{kindText ?? "(no kind)"} {name ?? "(no name)"}",
                    [$"apiVersion/kind: \"{apiVersion}\"/\"{kindText}\" is not a network policy; use cilium.io/v2 CiliumNetworkPolicy or CiliumClusterwideNetworkPolicy, or networking.k8s.io/v1 NetworkPolicy"]);
        }

        var key = new PolicyKey(kind, @namespace ?? "", name ?? "(no name)");
        if (string.IsNullOrEmpty(name))
        {
            context.Error("metadata.name", "is required; give the policy a name");
        }

        var reference = PolicyReference.For(kind, name ?? "", @namespace, uid, revision);
        var rules = new List<PolicyRule>();

        if (kind == PolicyKind.NetworkPolicy)
        {
            if (KubernetesNetworkPolicyParser.Parse(context, obj["spec"], "spec", @namespace!, reference) is { } rule)
            {
                rules.Add(rule);
            }
        }
        else
        {
            var spec = obj["spec"];
            var specs = context.Array(obj["specs"], "specs");
            if (spec is null && (specs is null || specs.Count == 0))
            {
                context.Error("spec", "the policy has neither spec nor specs (empty policy); add a spec with an endpointSelector");
            }

            if (spec is not null && ParseRule(context, spec, "spec", kind, @namespace, clusterName, reference) is { } single)
            {
                rules.Add(single);
            }

            for (var i = 0; specs is not null && i < specs.Count; i++)
            {
                if (ParseRule(context, specs[i], PolicyParseContext.Index("specs", i), kind, @namespace, clusterName, reference) is { } rule)
                {
                    rules.Add(rule);
                }
            }
        }

        if (context.Errors.Count > 0)
        {
            throw new InvalidPolicyException(key.ToString(), context.Errors);
        }

        return new CiliumPolicy(kind, name!, @namespace, rules, reference);
    }

    private static PolicyRule? ParseRule(
        PolicyParseContext context, JsonNode? node, string path, PolicyKind kind, string? @namespace, string clusterName, PolicyReference reference)
    {
        if (context.Object(node, path) is not { } obj)
        {
            return null;
        }

        var errorsBefore = context.Errors.Count;
        context.RejectUnknownFields(obj, path, RuleFields);

        if (obj.ContainsKey("nodeSelector"))
        {
            context.Error(PolicyParseContext.Join(path, "nodeSelector"),
                "host policies (nodeSelector) are not simulated by LabNet; select pods with endpointSelector");
        }

        if (!obj.ContainsKey("endpointSelector"))
        {
            context.Error(PolicyParseContext.Join(path, "endpointSelector"),
                "is required (a rule must have one of endpointSelector or nodeSelector); use endpointSelector: {} to select every pod");
        }

        var subject = SelectorParser.Parse(context, obj["endpointSelector"], PolicyParseContext.Join(path, "endpointSelector"));
        if (subject is not null && kind == PolicyKind.CiliumNetworkPolicy)
        {
            // Cilium always confines a namespaced policy to its namespace (a different namespace match is overridden).
            subject = new EndpointSelector(
                [.. subject.Requirements.Where(r => !(r.Key == IdentityLabelKeys.PodNamespace)),
                 new LabelRequirement(LabelSources.K8s, IdentityLabelKeys.PodNamespace, SelectorOperator.In, [@namespace!])]);
        }
        else if (subject is not null)
        {
            // A clusterwide endpointSelector selects pods (host endpoints are selected by nodeSelector).
            subject = subject.With(new LabelRequirement(LabelSources.K8s, IdentityLabelKeys.PodNamespace, SelectorOperator.Exists, []));
        }

        var ingress = ParsePeerRules(context, obj["ingress"], PolicyParseContext.Join(path, "ingress"), ingress: true, deny: false, kind, @namespace, clusterName);
        var ingressDeny = ParsePeerRules(context, obj["ingressDeny"], PolicyParseContext.Join(path, "ingressDeny"), ingress: true, deny: true, kind, @namespace, clusterName);
        var egress = ParsePeerRules(context, obj["egress"], PolicyParseContext.Join(path, "egress"), ingress: false, deny: false, kind, @namespace, clusterName);
        var egressDeny = ParsePeerRules(context, obj["egressDeny"], PolicyParseContext.Join(path, "egressDeny"), ingress: false, deny: true, kind, @namespace, clusterName);

        bool? defaultDenyIngress = null, defaultDenyEgress = null;
        if (context.Object(obj["enableDefaultDeny"], PolicyParseContext.Join(path, "enableDefaultDeny")) is { } defaultDeny)
        {
            context.RejectUnknownFields(defaultDeny, PolicyParseContext.Join(path, "enableDefaultDeny"), ["ingress", "egress"]);
            defaultDenyIngress = context.Boolean(defaultDeny["ingress"], PolicyParseContext.Join(path, "enableDefaultDeny.ingress"));
            defaultDenyEgress = context.Boolean(defaultDeny["egress"], PolicyParseContext.Join(path, "enableDefaultDeny.egress"));
        }

        if (context.Errors.Count > errorsBefore || subject is null)
        {
            return null;
        }

        // Rule.Sanitize: unset enableDefaultDeny means "default deny in every direction the rule speaks about".
        return new PolicyRule(
            subject,
            ingress,
            ingressDeny,
            egress,
            egressDeny,
            defaultDenyIngress ?? (ingress.Count > 0 || ingressDeny.Count > 0),
            defaultDenyEgress ?? (egress.Count > 0 || egressDeny.Count > 0),
            reference);
    }

    private static List<PeerRule> ParsePeerRules(
        PolicyParseContext context, JsonNode? node, string path, bool ingress, bool deny, PolicyKind kind, string? @namespace, string clusterName)
    {
        var result = new List<PeerRule>();
        if (context.Array(node, path) is not { } array)
        {
            return result;
        }

        var direction = ingress ? "from" : "to";
        for (var i = 0; i < array.Count; i++)
        {
            var rulePath = PolicyParseContext.Index(path, i);
            if (context.Object(array[i], rulePath) is not { } obj)
            {
                continue;
            }

            context.RejectUnknownFields(obj, rulePath, ingress ? IngressFields : EgressFields);
            foreach (var unsupported in new[] { $"{direction}Requires", $"{direction}Groups", $"{direction}Nodes", "toServices", "authentication" })
            {
                if (obj.ContainsKey(unsupported))
                {
                    context.Error(PolicyParseContext.Join(rulePath, unsupported),
                        $"{unsupported} is not simulated by LabNet; express the peer with {direction}Endpoints, {direction}Entities or {direction}CIDR");
                }
            }

            if (deny && obj.ContainsKey("toFQDNs"))
            {
                context.Error(PolicyParseContext.Join(rulePath, "toFQDNs"), "toFQDNs cannot be used in deny rules; use toCIDR");
            }

            var l3Fields = new[] { $"{direction}Endpoints", $"{direction}CIDR", $"{direction}CIDRSet", $"{direction}Entities", "toFQDNs" }
                .Where(f => obj[f] is JsonArray { Count: > 0 })
                .ToArray();
            if (l3Fields.Length > 1)
            {
                context.Error(rulePath, $"combining {string.Join(" and ", l3Fields)} is not supported (Cilium rejects it); split them into separate rules");
            }

            if (obj.ContainsKey("toPorts") && obj.ContainsKey("icmps"))
            {
                context.Error(rulePath, "combining toPorts and icmps is not supported (Cilium rejects it); split them into separate rules");
            }

            List<PeerMatcher>? peers = null;
            if (obj.ContainsKey($"{direction}Endpoints"))
            {
                peers ??= [];
                peers.AddRange(ParseEndpointPeers(context, obj[$"{direction}Endpoints"], PolicyParseContext.Join(rulePath, $"{direction}Endpoints"), kind, @namespace));
            }

            if (obj.ContainsKey($"{direction}Entities"))
            {
                peers ??= [];
                peers.AddRange(ParseEntities(context, obj[$"{direction}Entities"], PolicyParseContext.Join(rulePath, $"{direction}Entities"), clusterName));
            }

            if (obj.ContainsKey($"{direction}CIDR"))
            {
                peers ??= [];
                peers.AddRange(CidrParser.ParseCidrs(context, obj[$"{direction}CIDR"], PolicyParseContext.Join(rulePath, $"{direction}CIDR")) ?? []);
            }

            if (obj.ContainsKey($"{direction}CIDRSet"))
            {
                peers ??= [];
                peers.AddRange(CidrParser.ParseCidrSets(context, obj[$"{direction}CIDRSet"], PolicyParseContext.Join(rulePath, $"{direction}CIDRSet")) ?? []);
            }

            if (!ingress && !deny && obj.ContainsKey("toFQDNs"))
            {
                peers ??= [];
                peers.AddRange(ParseFqdns(context, obj["toFQDNs"], PolicyParseContext.Join(rulePath, "toFQDNs")));
            }

            var ports = obj.ContainsKey("icmps")
                ? PortParser.ParseIcmps(context, obj["icmps"], PolicyParseContext.Join(rulePath, "icmps"))
                : PortParser.ParseToPorts(context, obj["toPorts"], PolicyParseContext.Join(rulePath, "toPorts"), deny);

            result.Add(new PeerRule(peers, ports, rulePath));
        }

        return result;
    }

    private static IEnumerable<PeerMatcher> ParseEndpointPeers(PolicyParseContext context, JsonNode? node, string path, PolicyKind kind, string? @namespace)
    {
        var peers = new List<PeerMatcher>();
        if (context.Array(node, path) is not { } array)
        {
            return peers;
        }

        for (var i = 0; i < array.Count; i++)
        {
            var selectorPath = PolicyParseContext.Index(path, i);
            if (array[i] is null)
            {
                context.Error(selectorPath, "is null; write {} to select every pod of the namespace");
                continue;
            }

            if (SelectorParser.Parse(context, array[i], selectorPath) is not { } selector)
            {
                continue;
            }

            // pkg/k8s/apis/cilium.io/utils: a peer selector without a namespace (or reserved) key is confined to the
            // policy's namespace; in a clusterwide policy, to pods of any namespace.
            if (!selector.HasNamespaceRequirement && !selector.HasReservedRequirement)
            {
                selector = kind == PolicyKind.CiliumNetworkPolicy
                    ? selector.With(new LabelRequirement(LabelSources.K8s, IdentityLabelKeys.PodNamespace, SelectorOperator.In, [@namespace!]))
                    : selector.With(new LabelRequirement(LabelSources.K8s, IdentityLabelKeys.PodNamespace, SelectorOperator.Exists, []));
            }

            peers.Add(new SelectorPeer(selector));
        }

        return peers;
    }

    private static IEnumerable<PeerMatcher> ParseFqdns(PolicyParseContext context, JsonNode? node, string path)
    {
        return context.Objects<PeerMatcher>(node, path, (obj, selectorPath) =>
        {
            context.RejectUnknownFields(obj, selectorPath, ["matchName", "matchPattern"]);
            var matchName = context.String(obj["matchName"], PolicyParseContext.Join(selectorPath, "matchName"));
            var matchPattern = context.String(obj["matchPattern"], PolicyParseContext.Join(selectorPath, "matchPattern"));
            if ((matchName is null) == (matchPattern is null))
            {
                context.Error(selectorPath, "needs exactly one of matchName or matchPattern");
                return null;
            }

            if (matchName is not null && !DnsNamePattern.IsValid(matchName, allowWildcards: false))
            {
                context.Error(PolicyParseContext.Join(selectorPath, "matchName"), $"\"{matchName}\" is not a DNS name; use letters, digits, '-', '_' and '.' (wildcards go in matchPattern)");
                return null;
            }

            if (matchPattern is not null && !DnsNamePattern.IsValid(matchPattern, allowWildcards: true))
            {
                context.Error(PolicyParseContext.Join(selectorPath, "matchPattern"), $"\"{matchPattern}\" is not a DNS pattern; use letters, digits, '-', '_', '.' and '*'");
                return null;
            }

            return new FqdnPeer(matchName is not null ? DnsNamePattern.Name(matchName) : DnsNamePattern.Pattern(matchPattern!));
        }) ?? [];
    }

    private static IEnumerable<PeerMatcher> ParseEntities(PolicyParseContext context, JsonNode? node, string path, string clusterName)
    {
        var peers = new List<PeerMatcher>();
        if (context.Array(node, path) is not { } array)
        {
            return peers;
        }

        for (var i = 0; i < array.Count; i++)
        {
            var entityPath = PolicyParseContext.Index(path, i);
            if (context.String(array[i], entityPath) is not { } entity)
            {
                continue;
            }

            if (!Entities.Contains(entity))
            {
                context.Error(entityPath, $"\"{entity}\" is not an entity; use one of {string.Join(", ", Entities)}");
                continue;
            }

            peers.AddRange(EntityPeers.For(entity, clusterName));
        }

        return peers;
    }
}
