using System.Globalization;
using LabNet.Durations;
using LabNet.FlowCollector.Decoding;
using LabNet.Hubble.FlowApi;

namespace LabNet.FlowCollector.Query;

/// <summary>
/// The <c>hubble observe</c> flags accepted by <c>GET /api/flows</c>, turned into FlowFilters the way the hubble CLI
/// does: namespace and pod apply to either side (a source filter OR a destination filter), every other flag to both.
/// </summary>
public sealed record FlowQuery(
    IReadOnlyList<FlowFilter> Whitelist,
    ulong Last,
    DateTimeOffset? Since,
    bool Follow)
{
    public const ulong DefaultLast = 20;

    private static readonly Dictionary<string, int> EventTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        ["drop"] = 1, ["capture"] = 3, ["trace"] = 4, ["policy-verdict"] = 5, ["trace-sock"] = 7, ["l7"] = 129,
    };

    private static readonly string[] Protocols = ["icmp", "icmpv4", "icmpv6", "tcp", "udp", "sctp", "vrrp", "igmp", "dns", "http", "kafka"];

    public static (FlowQuery? Query, string? Error) Parse(IReadOnlyDictionary<string, string[]> parameters, DateTimeOffset now)
    {
        string[] Values(string name) => parameters.TryGetValue(name, out var values) ? values : [];
        string? Single(string name) => Values(name) is [var value, ..] ? value : null;

        var both = new FlowFilter();
        foreach (var verdict in Values("verdict"))
        {
            if (!Flows.HubbleEnum.Verdict.TryParse(System.Text.Encoding.UTF8.GetBytes(verdict.ToUpperInvariant()), out var number) || number == 0)
            {
                return (null, $"verdict='{verdict}': use FORWARDED, DROPPED, ERROR, AUDIT, REDIRECTED, TRACED or TRANSLATED");
            }

            both.Verdict.Add((Verdict)number);
        }

        foreach (var type in Values("type"))
        {
            var (name, sub) = type.IndexOf(':', StringComparison.Ordinal) is var colon and >= 0 ? (type[..colon], type[(colon + 1)..]) : (type, null);
            if (!EventTypes.TryGetValue(name, out var code))
            {
                return (null, $"type='{type}': use {string.Join(", ", EventTypes.Keys)} (trace:<point> for one observation point)");
            }

            var filter = new EventTypeFilter { Type = code };
            if (sub is not null)
            {
                var point = Array.IndexOf(TracePoints, sub);
                if (code != 4 || point < 0)
                {
                    return (null, $"type='{type}': a sub-type is only known for trace ({string.Join(", ", TracePoints)})");
                }

                filter.MatchSubType = true;
                filter.SubType = point;
            }

            both.EventType.Add(filter);
        }

        foreach (var protocol in Values("protocol"))
        {
            if (!Protocols.Contains(protocol.ToLowerInvariant()))
            {
                return (null, $"protocol='{protocol}': use one of {string.Join(", ", Protocols)}");
            }

            both.Protocol.Add(protocol);
        }

        foreach (var status in Values("http-status"))
        {
            var digits = status.TrimEnd('+');
            if (digits.Length is < 1 or > 3 || !digits.All(char.IsAsciiDigit) || (status.EndsWith('+') && status.Length > 3) || (!status.EndsWith('+') && digits.Length != 3))
            {
                return (null, $"http-status='{status}': use a full code such as 404 or a prefix such as 5+");
            }

            both.HttpStatusCode.Add(status);
        }

        both.HttpMethod.AddRange(Values("http-method"));
        both.SourcePod.AddRange(Values("from-pod"));
        both.DestinationPod.AddRange(Values("to-pod"));
        both.SourcePod.AddRange(Values("from-namespace").Select(ns => ns + "/"));
        both.DestinationPod.AddRange(Values("to-namespace").Select(ns => ns + "/"));

        // "Both sides" flags: a left filter on the source OR a right filter on the destination.
        var ns = Single("namespace");
        var pods = Values("pod").Select(p => p.Contains('/', StringComparison.Ordinal) || ns is null ? p : $"{ns}/{p}").ToList();
        if (pods.Count == 0 && ns is not null)
        {
            pods.Add(ns + "/");
        }

        IReadOnlyList<FlowFilter> whitelist;
        if (pods.Count > 0)
        {
            var left = both.Clone();
            left.SourcePod.AddRange(pods);
            var right = both.Clone();
            right.DestinationPod.AddRange(pods);
            whitelist = [left, right];
        }
        else
        {
            whitelist = both.Equals(new FlowFilter()) ? [] : [both];
        }

        var last = DefaultLast;
        if (Single("last") is { } lastText && (!ulong.TryParse(lastText, NumberStyles.None, CultureInfo.InvariantCulture, out last) || last == 0))
        {
            return (null, $"last='{lastText}': use a positive number of flows");
        }

        DateTimeOffset? since = null;
        if (Single("since") is { } sinceText)
        {
            if (GoDuration.TryParse(sinceText, out var ago) && ago > TimeSpan.Zero)
            {
                since = now - ago;
            }
            else if (Rfc3339.TryParseUnixNanos(System.Text.Encoding.ASCII.GetBytes(sinceText), out var nanos))
            {
                since = DateTimeOffset.UnixEpoch.AddTicks(nanos / 100);
            }
            else
            {
                return (null, $"since='{sinceText}': use a duration such as 30s or 5m, or an RFC 3339 time");
            }
        }

        var follow = Single("follow") is "true" or "1" or "";
        return (new FlowQuery(whitelist, last, since, follow), null);
    }

    private static readonly string[] TracePoints =
    [
        "to-endpoint", "to-proxy", "to-host", "to-stack", "to-overlay", "from-endpoint", "from-proxy", "from-host",
        "from-stack", "from-overlay", "from-network", "to-network", "from-crypto", "to-crypto",
    ];
}
