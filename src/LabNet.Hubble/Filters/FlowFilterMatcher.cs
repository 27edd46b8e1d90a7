using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using LabNet.Hubble.FlowApi;

namespace LabNet.Hubble.Filters;

/// <summary>
/// Hubble's server-side FlowFilter semantics (pkg/hubble/filters), shared by whoever serves or queries flows: within
/// one filter every set field must match (the values of one field: any); a flow is selected when any whitelist filter
/// matches (or there is none) and no blacklist filter does. <see cref="Unsupported"/> names the fields this matcher
/// does not evaluate (CEL expressions), so a server can reject such a request instead of ignoring a condition.
/// </summary>
public static class FlowFilterMatcher
{
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromMilliseconds(100);

    public static bool Matches(Flow flow, IReadOnlyCollection<FlowFilter> whitelist, IReadOnlyCollection<FlowFilter> blacklist) =>
        (whitelist.Count == 0 || whitelist.Any(f => Matches(flow, f))) && !blacklist.Any(f => Matches(flow, f));

    public static IReadOnlyList<string> Unsupported(FlowFilter filter) =>
        string.IsNullOrEmpty(filter.Experimental?.CelExpression) ? [] : ["experimental.cel_expression"];

    public static bool Matches(Flow flow, FlowFilter f) =>
        Any(f.Uuid, u => flow.Uuid == u)
        && Any(f.SourceIp, ip => IpMatches(flow.IP?.Source, ip))
        && Any(f.SourceIpXlated, ip => IpMatches(flow.IP?.SourceXlated, ip))
        && Any(f.DestinationIp, ip => IpMatches(flow.IP?.Destination, ip))
        && Any(f.SourcePod, p => PodMatches(flow.Source, p))
        && Any(f.DestinationPod, p => PodMatches(flow.Destination, p))
        && Any(f.SourceFqdn, p => flow.SourceNames.Any(n => GlobMatches(n, p)))
        && Any(f.DestinationFqdn, p => flow.DestinationNames.Any(n => GlobMatches(n, p)))
        && Any(f.SourceLabel, s => LabelSelector.Matches(s, flow.Source?.Labels ?? []))
        && Any(f.DestinationLabel, s => LabelSelector.Matches(s, flow.Destination?.Labels ?? []))
        && Any(f.SourceService, s => ServiceMatches(flow.SourceService, s))
        && Any(f.DestinationService, s => ServiceMatches(flow.DestinationService, s))
        && Any(f.SourceWorkload, w => WorkloadMatches(flow.Source, w))
        && Any(f.DestinationWorkload, w => WorkloadMatches(flow.Destination, w))
        && Any(f.SourceClusterName, c => flow.Source?.ClusterName == c)
        && Any(f.DestinationClusterName, c => flow.Destination?.ClusterName == c)
        && Any(f.TrafficDirection, d => flow.TrafficDirection == d)
        && Any(f.Verdict, v => flow.Verdict == v)
        && Any(f.DropReasonDesc, r => flow.DropReasonDesc == r)
        && Any(f.Interface, i => flow.Interface is { } fi && (i.Index == 0 || fi.Index == i.Index) && (i.Name.Length == 0 || fi.Name == i.Name))
        && Any(f.EventType, e => flow.EventType is { } t && t.Type == e.Type && (!e.MatchSubType || t.SubType == e.SubType))
        && Any(f.HttpStatusCode, s => HttpStatusMatches(flow, s))
        && Any(f.Protocol, p => ProtocolMatches(flow, p))
        && Any(f.SourcePort, p => PortOf(flow, source: true) is { } port && port.ToString(CultureInfo.InvariantCulture) == p)
        && Any(f.DestinationPort, p => PortOf(flow, source: false) is { } port && port.ToString(CultureInfo.InvariantCulture) == p)
        && Any(f.Reply, r => flow.IsReply == r)
        && Any(f.DnsQuery, q => flow.L7?.Dns is { } dns && RegexMatches(dns.Query, q))
        && Any(f.SourceIdentity, i => flow.Source?.Identity == i)
        && Any(f.DestinationIdentity, i => flow.Destination?.Identity == i)
        && Any(f.HttpMethod, m => flow.L7?.Http is { } http && string.Equals(http.Method, m, StringComparison.OrdinalIgnoreCase))
        && Any(f.HttpPath, p => flow.L7?.Http is { } http && Uri.TryCreate(http.Url, UriKind.Absolute, out var url) && RegexMatches(url.AbsolutePath, p))
        && Any(f.HttpUrl, p => flow.L7?.Http is { } http && RegexMatches(http.Url, p))
        && Any(f.HttpHeader, h => flow.L7?.Http is { } http && http.Headers.Any(x => x.Key == h.Key && x.Value == h.Value))
        && Any(f.TcpFlags, t => flow.L4?.TCP?.Flags is { } flags && HasAll(flags, t))
        && Any(f.NodeName, p => NodeNameMatches(flow.NodeName, p))
        && Any(f.NodeLabels, s => LabelSelector.Matches(s, flow.NodeLabels))
        && Any(f.IpVersion, v => flow.IP?.IpVersion == v)
        && Any(f.TraceId, t => flow.TraceContext?.Parent?.TraceId == t)
        && Any(f.IpTraceId, t => flow.IpTraceId?.TraceId == t)
        && Any(f.Encrypted, e => (flow.IP?.Encrypted ?? false) == e)
        && Unsupported(f).Count == 0;

    private static bool Any<T>(IReadOnlyCollection<T> values, Func<T, bool> match) => values.Count == 0 || values.Any(match);

    /// <summary>An exact address or a CIDR range.</summary>
    private static bool IpMatches(string? address, string filter)
    {
        if (string.IsNullOrEmpty(address))
        {
            return false;
        }

        if (!filter.Contains('/', StringComparison.Ordinal))
        {
            return address == filter;
        }

        return IPNetwork.TryParse(filter, out var network) && IPAddress.TryParse(address, out var ip) && network.Contains(ip);
    }

    /// <summary><c>ns/prefix</c>: that namespace and pod names with that prefix; <c>ns/</c>: the namespace; <c>prefix</c>: namespace default.</summary>
    private static bool PodMatches(Endpoint? endpoint, string selector) =>
        endpoint is not null && NamespacedPrefixMatches(endpoint.Namespace, endpoint.PodName, selector);

    private static bool ServiceMatches(Service? service, string selector) =>
        service is not null && NamespacedPrefixMatches(service.Namespace, service.Name, selector);

    private static bool NamespacedPrefixMatches(string ns, string name, string selector)
    {
        var slash = selector.IndexOf('/', StringComparison.Ordinal);
        var (wantedNamespace, prefix) = slash < 0 ? ("default", selector) : (selector[..slash], selector[(slash + 1)..]);
        return (wantedNamespace.Length == 0 || ns == wantedNamespace) && name.StartsWith(prefix, StringComparison.Ordinal);
    }

    private static bool WorkloadMatches(Endpoint? endpoint, Workload wanted) =>
        endpoint is not null && endpoint.Workloads.Any(w =>
            (wanted.Name.Length == 0 || w.Name == wanted.Name) && (wanted.Kind.Length == 0 || w.Kind == wanted.Kind));

    private static bool ProtocolMatches(Flow flow, string protocol) => protocol.ToLowerInvariant() switch
    {
        "tcp" => flow.L4?.TCP is not null,
        "udp" => flow.L4?.UDP is not null,
        "sctp" => flow.L4?.SCTP is not null,
        "icmp" => flow.L4?.ICMPv4 is not null || flow.L4?.ICMPv6 is not null,
        "icmpv4" => flow.L4?.ICMPv4 is not null,
        "icmpv6" => flow.L4?.ICMPv6 is not null,
        "vrrp" => flow.L4?.VRRP is not null,
        "igmp" => flow.L4?.IGMP is not null,
        "http" => flow.L7?.Http is not null,
        "dns" => flow.L7?.Dns is not null,
        "kafka" => flow.L7?.RecordCase == Layer7.RecordOneofCase.Kafka,
        _ => false,
    };

    /// <summary><c>404</c> matches exactly, <c>5+</c> any 5xx; only HTTP flows with a status (responses).</summary>
    private static bool HttpStatusMatches(Flow flow, string status)
    {
        if (flow.L7?.Http is not { Code: > 0 } http)
        {
            return false;
        }

        var code = http.Code.ToString(CultureInfo.InvariantCulture);
        return status.EndsWith('+') ? code.StartsWith(status[..^1], StringComparison.Ordinal) : code == status;
    }

    private static uint? PortOf(Flow flow, bool source) => flow.L4?.ProtocolCase switch
    {
        Layer4.ProtocolOneofCase.TCP => source ? flow.L4.TCP.SourcePort : flow.L4.TCP.DestinationPort,
        Layer4.ProtocolOneofCase.UDP => source ? flow.L4.UDP.SourcePort : flow.L4.UDP.DestinationPort,
        Layer4.ProtocolOneofCase.SCTP => source ? flow.L4.SCTP.SourcePort : flow.L4.SCTP.DestinationPort,
        _ => null,
    };

    private static bool HasAll(TCPFlags flags, TCPFlags wanted) =>
        (!wanted.FIN || flags.FIN) && (!wanted.SYN || flags.SYN) && (!wanted.RST || flags.RST) && (!wanted.PSH || flags.PSH)
        && (!wanted.ACK || flags.ACK) && (!wanted.URG || flags.URG) && (!wanted.ECE || flags.ECE) && (!wanted.CWR || flags.CWR)
        && (!wanted.NS || flags.NS);

    /// <summary><c>cluster/</c>: every node of the cluster; <c>cluster/node*</c>: glob on the full name; <c>node*</c>: glob on the node part.</summary>
    private static bool NodeNameMatches(string nodeName, string pattern)
    {
        if (pattern.EndsWith('/'))
        {
            return nodeName.StartsWith(pattern, StringComparison.Ordinal);
        }

        if (pattern.Contains('/', StringComparison.Ordinal))
        {
            return GlobMatches(nodeName, pattern);
        }

        var slash = nodeName.IndexOf('/', StringComparison.Ordinal);
        return GlobMatches(slash < 0 ? nodeName : nodeName[(slash + 1)..], pattern);
    }

    private static bool GlobMatches(string value, string glob) =>
        RegexMatches(value, "^" + Regex.Escape(glob).Replace("\\*", "[^/]*", StringComparison.Ordinal) + "$");

    private static bool RegexMatches(string value, string pattern)
    {
        try
        {
            return Regex.IsMatch(value, pattern, RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
