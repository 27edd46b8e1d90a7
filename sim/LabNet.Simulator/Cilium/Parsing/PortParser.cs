using System.Globalization;
using System.Text.Json.Nodes;
using LabNet.Simulator.Cilium.Policy;

namespace LabNet.Simulator.Cilium.Parsing;

/// <summary>Parses <c>toPorts</c> (ports and protocols; their L7 rules with <see cref="L7RuleParser"/>) and <c>icmps</c>, with Cilium's validation rules.</summary>
internal static class PortParser
{
    private static readonly string[] AllowPortRuleFields = ["ports", "rules", "terminatingTLS", "originatingTLS", "serverNames", "listener"];
    private static readonly string[] DenyPortRuleFields = ["ports"];
    private static readonly string[] PortFields = ["port", "endPort", "protocol"];

    // Cilium caps the number of ports per toPorts entry.
    private const int MaxPortsPerRule = 40;

    public static IReadOnlyList<PortRule>? ParseToPorts(PolicyParseContext context, JsonNode? node, string path, bool deny)
    {
        var array = context.Array(node, path);
        if (array is null)
        {
            return null;
        }

        var rules = new List<PortRule>();
        for (var i = 0; i < array.Count; i++)
        {
            var rulePath = PolicyParseContext.Index(path, i);
            var obj = context.Object(array[i], rulePath);
            if (obj is null)
            {
                continue;
            }

            if (deny && obj.ContainsKey("rules"))
            {
                context.Error(PolicyParseContext.Join(rulePath, "rules"),
                    "deny rules cannot carry L7 rules (only ports); move the L7 rules to an allow rule (ingress/egress)");
            }
            else
            {
                context.RejectUnknownFields(obj, rulePath, deny ? DenyPortRuleFields : AllowPortRuleFields);
            }

            foreach (var tlsField in new[] { "terminatingTLS", "originatingTLS", "serverNames", "listener" })
            {
                if (obj.ContainsKey(tlsField))
                {
                    context.Error(PolicyParseContext.Join(rulePath, tlsField),
                        "TLS interception and Envoy listeners are not simulated by LabNet; remove the field");
                }
            }

            var ports = ParsePorts(context, obj["ports"], PolicyParseContext.Join(rulePath, "ports"));
            L7Rules? l7 = null;
            if (!deny && obj["rules"] is { } rulesNode)
            {
                l7 = L7RuleParser.Parse(context, rulesNode, PolicyParseContext.Join(rulePath, "rules"));
            }

            if (l7 is not null)
            {
                L7RuleParser.ValidatePorts(context, ports, l7, rulePath);
            }

            rules.Add(new PortRule(ports, l7));
        }

        return rules;
    }

    public static IReadOnlyList<PortRule>? ParseIcmps(PolicyParseContext context, JsonNode? node, string path)
    {
        var array = context.Array(node, path);
        if (array is null)
        {
            return null;
        }

        var ports = new List<PortRange>();
        for (var i = 0; i < array.Count; i++)
        {
            var rulePath = PolicyParseContext.Index(path, i);
            if (context.Object(array[i], rulePath) is not { } obj)
            {
                continue;
            }

            context.RejectUnknownFields(obj, rulePath, ["fields"]);
            if (context.Array(obj["fields"], PolicyParseContext.Join(rulePath, "fields")) is not { } fields)
            {
                continue;
            }

            for (var f = 0; f < fields.Count; f++)
            {
                var fieldPath = PolicyParseContext.Index(PolicyParseContext.Join(rulePath, "fields"), f);
                if (context.Object(fields[f], fieldPath) is not { } field)
                {
                    continue;
                }

                context.RejectUnknownFields(field, fieldPath, ["type", "family"]);
                var family = context.String(field["family"], PolicyParseContext.Join(fieldPath, "family")) ?? "IPv4";
                if (family is not ("IPv4" or "IPv6"))
                {
                    context.Error(PolicyParseContext.Join(fieldPath, "family"), $"\"{family}\" is not an ICMP family; use IPv4 or IPv6");
                    continue;
                }

                var type = ParseIcmpType(context, field["type"], PolicyParseContext.Join(fieldPath, "type"), family);
                if (type is { } t)
                {
                    ports.Add(new PortRange(family == "IPv4" ? IpProtocol.Icmp : IpProtocol.IcmpV6, t, t));
                }
            }
        }

        return [new PortRule(ports, null)];
    }

    private static IReadOnlyList<PortRange> ParsePorts(PolicyParseContext context, JsonNode? node, string path)
    {
        var array = context.Array(node, path);
        if (array is null || array.Count == 0)
        {
            // No ports: every port, any protocol.
            return [new(IpProtocol.Tcp, 0, 0), new(IpProtocol.Udp, 0, 0), new(IpProtocol.Sctp, 0, 0)];
        }

        if (array.Count > MaxPortsPerRule)
        {
            context.Error(path, $"too many ports, the max is {MaxPortsPerRule}; split them over several toPorts entries");
        }

        var result = new List<PortRange>();
        for (var i = 0; i < array.Count; i++)
        {
            var portPath = PolicyParseContext.Index(path, i);
            if (context.Object(array[i], portPath) is not { } obj)
            {
                continue;
            }

            context.RejectUnknownFields(obj, portPath, PortFields);
            var port = ParsePortNumber(context, obj["port"], PolicyParseContext.Join(portPath, "port"));
            var endPortValue = context.Integer(obj["endPort"], PolicyParseContext.Join(portPath, "endPort"));
            var protocolText = context.String(obj["protocol"], PolicyParseContext.Join(portPath, "protocol")) ?? "ANY";
            if (port is null)
            {
                continue;
            }

            var endPort = port.Value;
            if (endPortValue is { } e)
            {
                if (e < 0 || e > 65535)
                {
                    context.Error(PolicyParseContext.Join(portPath, "endPort"), $"{e} is not a port; use 0-65535");
                    continue;
                }

                if (e != 0 && e < port.Value)
                {
                    context.Error(PolicyParseContext.Join(portPath, "endPort"), $"{e} is smaller than port {port.Value}; endPort must be >= port");
                    continue;
                }

                if (e != 0 && port.Value == 0)
                {
                    context.Error(PolicyParseContext.Join(portPath, "endPort"), "needs a non-zero port; set port to the first port of the range");
                    continue;
                }

                endPort = e == 0 ? port.Value : (int)e;
            }

            IpProtocol[] protocols = protocolText switch
            {
                "TCP" => [IpProtocol.Tcp],
                "UDP" => [IpProtocol.Udp],
                "SCTP" => [IpProtocol.Sctp],
                "ANY" or "" => [IpProtocol.Tcp, IpProtocol.Udp, IpProtocol.Sctp],
                _ => [],
            };
            if (protocols.Length == 0)
            {
                context.Error(PolicyParseContext.Join(portPath, "protocol"),
                    $"\"{protocolText}\" is not a protocol; use one of TCP, UDP, SCTP, ANY (upper case; ICMP goes in icmps)");
                continue;
            }

            foreach (var protocol in protocols)
            {
                result.Add(new PortRange(protocol, port.Value, endPort));
            }
        }

        return result;
    }

    private static int? ParsePortNumber(PolicyParseContext context, JsonNode? node, string path)
    {
        if (node is null)
        {
            return 0;
        }

        if (node is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.Number)
        {
            context.Error(path, $"must be of type string, not the number {value.ToJsonString()}; quote it: port: \"{value.ToJsonString()}\"");
            return null;
        }

        var text = context.String(node, path);
        if (text is null)
        {
            return null;
        }

        if (text.Length == 0)
        {
            return 0;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            if (number > 65535)
            {
                context.Error(path, $"\"{text}\" is not a port; use 0-65535");
                return null;
            }

            return number;
        }

        context.Error(path, $"named port \"{text}\" is not simulated by LabNet; use the port number");
        return null;
    }

    private static int? ParseIcmpType(PolicyParseContext context, JsonNode? node, string path, string family)
    {
        if (node is JsonValue value && value.GetValueKind() == System.Text.Json.JsonValueKind.Number)
        {
            var number = context.Integer(node, path);
            if (number is >= 0 and <= 255)
            {
                return (int)number.Value;
            }

            context.Error(path, $"{number} is not an ICMP type; use 0-255");
            return null;
        }

        var name = context.String(node, path);
        int? type = (family, name) switch
        {
            ("IPv4", "EchoReply") => 0,
            ("IPv4", "DestinationUnreachable") => 3,
            ("IPv4", "Redirect") => 5,
            ("IPv4", "EchoRequest") => 8,
            ("IPv4", "TimeExceeded") => 11,
            ("IPv6", "DestinationUnreachable") => 1,
            ("IPv6", "PacketTooBig") => 2,
            ("IPv6", "TimeExceeded") => 3,
            ("IPv6", "EchoRequest") => 128,
            ("IPv6", "EchoReply") => 129,
            _ => null,
        };
        if (type is null)
        {
            context.Error(path, $"\"{name}\" is not an ICMP type LabNet knows for {family}; use the type number");
        }

        return type;
    }

}
