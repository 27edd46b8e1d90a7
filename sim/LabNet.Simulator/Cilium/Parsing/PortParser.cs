using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using LabNet.Simulator.Cilium.Policy;

namespace LabNet.Simulator.Cilium.Parsing;

/// <summary>Parses <c>toPorts</c>, <c>icmps</c> and CIDR fields, with Cilium's validation rules.</summary>
internal static class PortParser
{
    private static readonly string[] AllowPortRuleFields = ["ports", "rules", "terminatingTLS", "originatingTLS", "serverNames", "listener"];
    private static readonly string[] DenyPortRuleFields = ["ports"];
    private static readonly string[] PortFields = ["port", "endPort", "protocol"];
    private static readonly string[] L7Fields = ["http", "dns", "kafka", "l7proto", "l7"];
    private static readonly string[] HttpFields = ["method", "path", "host", "headers", "headerMatches"];
    private static readonly string[] HeaderMatchFields = ["name", "value", "mismatch", "secret"];
    private static readonly string[] DnsFields = ["matchName", "matchPattern"];
    private static readonly string[] MismatchActions = ["LOG", "ADD", "DELETE", "REPLACE"];

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
                l7 = ParseL7(context, rulesNode, PolicyParseContext.Join(rulePath, "rules"));
            }

            if (l7 is not null)
            {
                ValidateL7Ports(context, ports, l7, rulePath);
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

    public static IReadOnlyList<PeerMatcher>? ParseCidrs(PolicyParseContext context, JsonNode? node, string path)
    {
        var array = context.Array(node, path);
        if (array is null)
        {
            return null;
        }

        var peers = new List<PeerMatcher>();
        for (var i = 0; i < array.Count; i++)
        {
            var itemPath = PolicyParseContext.Index(path, i);
            if (context.String(array[i], itemPath) is { } text && ParseCidr(context, text, itemPath) is { } cidr)
            {
                peers.Add(new CidrPeer(cidr, []));
            }
        }

        return peers;
    }

    public static IReadOnlyList<PeerMatcher>? ParseCidrSets(PolicyParseContext context, JsonNode? node, string path)
    {
        var array = context.Array(node, path);
        if (array is null)
        {
            return null;
        }

        var peers = new List<PeerMatcher>();
        for (var i = 0; i < array.Count; i++)
        {
            var itemPath = PolicyParseContext.Index(path, i);
            if (context.Object(array[i], itemPath) is { } obj && ParseCidrSet(context, obj, itemPath, ["cidr", "except", "cidrGroupRef", "cidrGroupSelector"]) is { } peer)
            {
                peers.Add(peer);
            }
        }

        return peers;
    }

    /// <summary>One <c>{cidr, except}</c> object (a CIDRSet entry, or a NetworkPolicy ipBlock).</summary>
    public static CidrPeer? ParseCidrSet(PolicyParseContext context, JsonObject obj, string path, IReadOnlyCollection<string> knownFields)
    {
        context.RejectUnknownFields(obj, path, knownFields);
        if (obj.ContainsKey("cidrGroupRef") || obj.ContainsKey("cidrGroupSelector"))
        {
            context.Error(path, "CiliumCIDRGroup references are not simulated by LabNet; write the CIDR inline with cidr:");
            return null;
        }

        var cidrText = context.String(obj["cidr"], PolicyParseContext.Join(path, "cidr"));
        if (cidrText is null)
        {
            context.Error(PolicyParseContext.Join(path, "cidr"), "is required; give a prefix such as 10.0.0.0/8");
            return null;
        }

        if (ParseCidr(context, cidrText, PolicyParseContext.Join(path, "cidr")) is not { } cidr)
        {
            return null;
        }

        var excepts = new List<IPNetwork>();
        if (context.Array(obj["except"], PolicyParseContext.Join(path, "except")) is { } exceptArray)
        {
            for (var e = 0; e < exceptArray.Count; e++)
            {
                var exceptPath = PolicyParseContext.Index(PolicyParseContext.Join(path, "except"), e);
                if (context.String(exceptArray[e], exceptPath) is not { } exceptText || ParseCidr(context, exceptText, exceptPath) is not { } except)
                {
                    continue;
                }

                if (!CidrPeer.Contains(cidr, except))
                {
                    context.Error(exceptPath, $"allow CIDR prefix {cidr} does not contain exclude prefix {except}; an exception must lie inside cidr");
                    continue;
                }

                excepts.Add(except);
            }
        }

        return new CidrPeer(cidr, excepts);
    }

    private static IPNetwork? ParseCidr(PolicyParseContext context, string text, string path)
    {
        if (IPNetwork.TryParse(text, out var network))
        {
            return network;
        }

        // Cilium accepts a bare address as a host prefix.
        if (IPAddress.TryParse(text, out var address))
        {
            return new IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128);
        }

        context.Error(path, $"\"{text}\" is not a CIDR; write a prefix such as 10.0.0.0/8 (the host bits must be zero)");
        return null;
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

    private static L7Rules? ParseL7(PolicyParseContext context, JsonNode node, string path)
    {
        if (context.Object(node, path) is not { } obj)
        {
            return null;
        }

        context.RejectUnknownFields(obj, path, L7Fields);
        foreach (var unsupported in new[] { "kafka", "l7proto", "l7" })
        {
            if (obj.ContainsKey(unsupported))
            {
                context.Error(PolicyParseContext.Join(path, unsupported), "only HTTP and DNS L7 rules are simulated by LabNet; use http or dns");
            }
        }

        var http = new List<HttpRule>();
        if (context.Array(obj["http"], PolicyParseContext.Join(path, "http")) is { } httpArray)
        {
            for (var i = 0; i < httpArray.Count; i++)
            {
                if (ParseHttpRule(context, httpArray[i], PolicyParseContext.Index(PolicyParseContext.Join(path, "http"), i)) is { } rule)
                {
                    http.Add(rule);
                }
            }
        }

        var dns = new List<DnsRule>();
        if (context.Array(obj["dns"], PolicyParseContext.Join(path, "dns")) is { } dnsArray)
        {
            for (var i = 0; i < dnsArray.Count; i++)
            {
                var rulePath = PolicyParseContext.Index(PolicyParseContext.Join(path, "dns"), i);
                if (context.Object(dnsArray[i], rulePath) is not { } dnsObj)
                {
                    continue;
                }

                context.RejectUnknownFields(dnsObj, rulePath, DnsFields);
                var matchName = context.String(dnsObj["matchName"], PolicyParseContext.Join(rulePath, "matchName"));
                var matchPattern = context.String(dnsObj["matchPattern"], PolicyParseContext.Join(rulePath, "matchPattern"));
                if (matchName is null && matchPattern is null)
                {
                    context.Error(rulePath, "needs matchName or matchPattern; use matchPattern: \"*\" to allow every name");
                    continue;
                }

                dns.Add(new DnsRule(matchName, matchPattern));
            }
        }

        if (http.Count > 0 && dns.Count > 0)
        {
            context.Error(path, "a port can have one kind of L7 rules; put the http and dns rules on different toPorts entries");
        }

        var rules = new L7Rules(http, dns);
        return rules.Parser == L7Parser.None ? null : rules;
    }

    private static HttpRule? ParseHttpRule(PolicyParseContext context, JsonNode? node, string path)
    {
        if (context.Object(node, path) is not { } obj)
        {
            return null;
        }

        context.RejectUnknownFields(obj, path, HttpFields);
        var ok = true;
        var method = Regex(context, obj["method"], PolicyParseContext.Join(path, "method"), ref ok);
        var urlPath = Regex(context, obj["path"], PolicyParseContext.Join(path, "path"), ref ok);
        var host = Regex(context, obj["host"], PolicyParseContext.Join(path, "host"), ref ok);
        var headers = new List<HttpHeaderRequirement>();

        if (context.Array(obj["headers"], PolicyParseContext.Join(path, "headers")) is { } headerArray)
        {
            for (var i = 0; i < headerArray.Count; i++)
            {
                if (context.String(headerArray[i], PolicyParseContext.Index(PolicyParseContext.Join(path, "headers"), i)) is not { } header)
                {
                    ok = false;
                    continue;
                }

                // Cilium splits "Name: value" (or "Name value") at the first space; a lone name requires presence.
                var parts = header.Split(' ', 2, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
                var name = parts.Length > 0 ? parts[0].TrimEnd(':') : "";
                if (name.Length == 0)
                {
                    context.Error(PolicyParseContext.Index(PolicyParseContext.Join(path, "headers"), i), "is empty; write \"Header-Name: value\" or \"Header-Name\"");
                    ok = false;
                    continue;
                }

                headers.Add(new HttpHeaderRequirement(name, parts.Length > 1 ? parts[1] : null, null));
            }
        }

        if (context.Array(obj["headerMatches"], PolicyParseContext.Join(path, "headerMatches")) is { } matchArray)
        {
            for (var i = 0; i < matchArray.Count; i++)
            {
                var matchPath = PolicyParseContext.Index(PolicyParseContext.Join(path, "headerMatches"), i);
                if (context.Object(matchArray[i], matchPath) is not { } match)
                {
                    ok = false;
                    continue;
                }

                context.RejectUnknownFields(match, matchPath, HeaderMatchFields);
                var name = context.String(match["name"], PolicyParseContext.Join(matchPath, "name"));
                var value = context.String(match["value"], PolicyParseContext.Join(matchPath, "value"));
                var mismatch = context.String(match["mismatch"], PolicyParseContext.Join(matchPath, "mismatch"));
                if (match.ContainsKey("secret"))
                {
                    context.Error(PolicyParseContext.Join(matchPath, "secret"), "header values from Secrets are not simulated by LabNet; use value");
                    ok = false;
                }

                if (string.IsNullOrEmpty(name))
                {
                    context.Error(PolicyParseContext.Join(matchPath, "name"), "is required; name the HTTP header");
                    ok = false;
                    continue;
                }

                if (mismatch is not null && !MismatchActions.Contains(mismatch))
                {
                    context.Error(PolicyParseContext.Join(matchPath, "mismatch"), $"\"{mismatch}\" is not an action; use one of {string.Join(", ", MismatchActions)}");
                    ok = false;
                    continue;
                }

                headers.Add(new HttpHeaderRequirement(name, value, mismatch));
            }
        }

        return ok ? new HttpRule(method, urlPath, host, headers) : null;
    }

    private static WholeStringRegex? Regex(PolicyParseContext context, JsonNode? node, string path, ref bool ok)
    {
        var pattern = context.String(node, path);
        if (string.IsNullOrEmpty(pattern))
        {
            if (node is not null && pattern is null)
            {
                ok = false;
            }

            return null;
        }

        try
        {
            return new WholeStringRegex(pattern);
        }
        catch (ArgumentException e)
        {
            context.Error(path, $"\"{pattern}\" is not a valid regular expression ({e.Message}); fix the pattern (it must match the whole value)");
            ok = false;
            return null;
        }
    }

    private static void ValidateL7Ports(PolicyParseContext context, IReadOnlyList<PortRange> ports, L7Rules l7, string path)
    {
        foreach (var port in ports)
        {
            if (port.AllPorts)
            {
                context.Error(PolicyParseContext.Join(path, "ports"), "L7 rules need a specific port (not 0 or all ports); set port");
                return;
            }

            if (port.EndPort != port.Port)
            {
                context.Error(PolicyParseContext.Join(path, "ports"), "L7 rules cannot be used with a port range (endPort); list single ports");
                return;
            }
        }

        if (l7.Parser == L7Parser.Http && ports.Any(p => p.Protocol != IpProtocol.Tcp) && ports.Any(p => p.Protocol == IpProtocol.Tcp) is false)
        {
            context.Error(PolicyParseContext.Join(path, "ports"), "HTTP rules can only apply to TCP; set protocol: TCP");
        }
    }
}
