using System.Net;
using System.Text.Json.Nodes;
using LabNet.Simulator.Cilium.Policy;

namespace LabNet.Simulator.Cilium.Parsing;

/// <summary>Parses CIDR peers: <c>fromCIDR</c>/<c>toCIDR</c> lists, <c>fromCIDRSet</c>/<c>toCIDRSet</c> entries and NetworkPolicy <c>ipBlock</c>s, with Cilium's validation rules.</summary>
internal static class CidrParser
{
    public static IReadOnlyList<PeerMatcher>? ParseCidrs(PolicyParseContext context, JsonNode? node, string path) =>
        context.Strings<PeerMatcher>(node, path, (text, itemPath) => ParseCidr(context, text, itemPath) is { } cidr ? new CidrPeer(cidr, []) : null);

    public static IReadOnlyList<PeerMatcher>? ParseCidrSets(PolicyParseContext context, JsonNode? node, string path) =>
        context.Objects<PeerMatcher>(node, path, (obj, itemPath) => ParseCidrSet(context, obj, itemPath, ["cidr", "except", "cidrGroupRef", "cidrGroupSelector"]));

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
}
