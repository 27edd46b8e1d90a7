using System.Globalization;
using LabNet.Hubble.FlowApi;
using Endpoint = LabNet.Hubble.FlowApi.Endpoint;

namespace LabNet.FlowCollector.Query;

/// <summary>
/// Hubble's server-side FlowFilter semantics (pkg/hubble/filters) for the fields the flow query API sets: within one
/// filter every set field must match (values of one field: any); a flow is returned when any whitelist filter matches
/// and no blacklist filter does.
/// </summary>
public static class FlowFilterMatcher
{
    public static bool Matches(Flow flow, IReadOnlyCollection<FlowFilter> whitelist, IReadOnlyCollection<FlowFilter> blacklist) =>
        (whitelist.Count == 0 || whitelist.Any(f => Matches(flow, f))) && !blacklist.Any(f => Matches(flow, f));

    public static bool Matches(Flow flow, FlowFilter filter) =>
        (filter.SourcePod.Count == 0 || filter.SourcePod.Any(p => PodMatches(flow.Source, p)))
        && (filter.DestinationPod.Count == 0 || filter.DestinationPod.Any(p => PodMatches(flow.Destination, p)))
        && (filter.Verdict.Count == 0 || filter.Verdict.Contains(flow.Verdict))
        && (filter.EventType.Count == 0 || filter.EventType.Any(e => EventTypeMatches(flow, e)))
        && (filter.Protocol.Count == 0 || filter.Protocol.Any(p => ProtocolMatches(flow, p)))
        && (filter.HttpStatusCode.Count == 0 || filter.HttpStatusCode.Any(s => HttpStatusMatches(flow, s)))
        && (filter.HttpMethod.Count == 0 || filter.HttpMethod.Any(m => flow.L7?.Http is { } http && string.Equals(http.Method, m, StringComparison.OrdinalIgnoreCase)));

    /// <summary><c>ns/prefix</c>: that namespace, pod names with that prefix; <c>ns/</c>: the whole namespace; <c>prefix</c>: namespace default.</summary>
    private static bool PodMatches(Endpoint? endpoint, string selector)
    {
        if (endpoint is null)
        {
            return false;
        }

        var slash = selector.IndexOf('/', StringComparison.Ordinal);
        var (ns, prefix) = slash < 0 ? ("default", selector) : (selector[..slash], selector[(slash + 1)..]);
        return (ns.Length == 0 || endpoint.Namespace == ns) && endpoint.PodName.StartsWith(prefix, StringComparison.Ordinal);
    }

    private static bool EventTypeMatches(Flow flow, EventTypeFilter filter) =>
        flow.EventType is { } eventType && eventType.Type == filter.Type && (!filter.MatchSubType || eventType.SubType == filter.SubType);

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
}
