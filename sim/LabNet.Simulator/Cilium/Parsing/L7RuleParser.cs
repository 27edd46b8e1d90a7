using System.Net;
using System.Text.Json.Nodes;
using LabNet.Simulator.Cilium.Policy;

namespace LabNet.Simulator.Cilium.Parsing;

/// <summary>Parses the L7 <c>rules</c> of a <c>toPorts</c> entry (HTTP method/path/host/header matches, DNS names), with Cilium's validation rules.</summary>
internal static class L7RuleParser
{
    private static readonly string[] L7Fields = ["http", "dns", "kafka", "l7proto", "l7"];
    private static readonly string[] HttpFields = ["method", "path", "host", "headers", "headerMatches"];
    private static readonly string[] HeaderMatchFields = ["name", "value", "mismatch", "secret"];
    private static readonly string[] DnsFields = ["matchName", "matchPattern"];
    private static readonly string[] MismatchActions = ["LOG", "ADD", "DELETE", "REPLACE"];

    public static L7Rules? Parse(PolicyParseContext context, JsonNode node, string path)
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

    public static void ValidatePorts(PolicyParseContext context, IReadOnlyList<PortRange> ports, L7Rules l7, string path)
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
