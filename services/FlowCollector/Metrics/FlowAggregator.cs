using LabNet.FlowCollector.Flows;

namespace LabNet.FlowCollector.Metrics;

/// <summary>
/// Exact counters behind the Hubble metrics, keyed the way Hubble labels them. One flow costs one or two dictionary
/// lookups on its context and a few integer-keyed increments. The number of distinct contexts is capped: flows of a
/// new context past the cap are counted under <see cref="MetricContext.Other"/> and in <see cref="OverflowFlows"/>,
/// so memory and exported series stay bounded whatever the pods are called. Thread-safe.
/// </summary>
public sealed class FlowAggregator(int maxContexts = FlowAggregator.DefaultMaxContexts)
{
    public const int DefaultMaxContexts = 2_000;

    private readonly Lock _gate = new();
    private readonly Dictionary<MetricContext, ContextCounters> _contexts = [];
    private readonly Dictionary<int, long> _lostEventsBySource = [];

    public long Flows { get; private set; }

    public long OverflowFlows { get; private set; }

    public long MalformedLines { get; private set; }

    public long UndecodableFlows { get; private set; }

    public long LostEvents { get; private set; }

    public int ContextCount
    {
        get
        {
            lock (_gate)
            {
                return _contexts.Count;
            }
        }
    }

    /// <summary>Counts one flow. Returns the (bounded) context of the HTTP request it answers when it is an HTTP response.</summary>
    public bool Add(FlowRecord flow, string cluster, out MetricContext httpContext)
    {
        var typeCode = HubbleLabels.TypeCode(flow);
        var protocolCode = HubbleLabels.ProtocolCode(flow, typeCode);
        var subtypeCode = HubbleLabels.SubtypeCode(flow, typeCode);
        var isHttpResponse = flow.L7 == L7Protocol.HTTP && flow.L7Type == HubbleLabels.L7Response;

        lock (_gate)
        {
            Flows++;
            var counters = CountersFor(ContextOf(flow, cluster, inverted: false), out var bounded);
            if (bounded == MetricContext.Other)
            {
                OverflowFlows++;
            }

            Increment(counters.Flows, (long)protocolCode | (long)typeCode << 8 | (long)subtypeCode << 16 | (long)(uint)flow.Verdict << 24);

            if (flow.Verdict == HubbleLabels.VerdictDropped)
            {
                Increment(counters.Drops, (long)(uint)flow.DropReason | (long)protocolCode << 32);
            }

            if (flow.L4 == Layer4Case.TCP && flow.TcpFlags != TcpFlagSet.None
                && flow.Verdict is HubbleLabels.VerdictForwarded or HubbleLabels.VerdictRedirected)
            {
                var family = (long)(uint)flow.IpVersion << 8;
                if ((flow.TcpFlags & TcpFlagSet.SYN) != 0)
                {
                    Increment(counters.TcpFlags, (long)((flow.TcpFlags & TcpFlagSet.ACK) != 0 ? HubbleLabels.FlagSynAck : HubbleLabels.FlagSyn) | family);
                }

                if ((flow.TcpFlags & TcpFlagSet.FIN) != 0)
                {
                    Increment(counters.TcpFlags, HubbleLabels.FlagFin | family);
                }

                if ((flow.TcpFlags & TcpFlagSet.RST) != 0)
                {
                    Increment(counters.TcpFlags, HubbleLabels.FlagRst | family);
                }
            }

            httpContext = default;
            if (!isHttpResponse)
            {
                return false;
            }

            // httpV2 counts responses and labels them from the request's point of view (source and destination swapped).
            var httpCounters = CountersFor(ContextOf(flow, cluster, inverted: true), out httpContext);
            if (httpContext == MetricContext.Other && bounded != MetricContext.Other)
            {
                OverflowFlows++;
            }

            var key = new HttpSeriesKey(flow.HttpMethod, flow.HttpProtocol, flow.HttpCode, HubbleLabels.ReporterCode(flow.TrafficDirection));
            httpCounters.HttpRequests[key] = httpCounters.HttpRequests.GetValueOrDefault(key) + 1;
            return true;
        }
    }

    public void AddLostEvents(int source, ulong count)
    {
        lock (_gate)
        {
            LostEvents += (long)count;
            _lostEventsBySource[source] = _lostEventsBySource.GetValueOrDefault(source) + (long)count;
        }
    }

    public void CountMalformedLine()
    {
        lock (_gate)
        {
            MalformedLines++;
        }
    }

    public void CountUndecodableFlow()
    {
        lock (_gate)
        {
            UndecodableFlows++;
        }
    }

    /// <summary>hubble_flows_processed_total series: protocol, type, subtype, verdict (+context).</summary>
    public IReadOnlyList<CounterSeries> FlowsProcessed() => Collect(static c => c.Flows, static key =>
    [
        KeyValuePair.Create("protocol", HubbleLabels.ProtocolName((int)(key & 0xff))),
        KeyValuePair.Create("type", HubbleLabels.TypeName((int)(key >> 8 & 0xff))),
        KeyValuePair.Create("subtype", HubbleLabels.SubtypeName((int)(key >> 16 & 0xff))),
        KeyValuePair.Create("verdict", HubbleEnum.Verdict.NameOf((int)(key >> 24))),
    ]);

    /// <summary>hubble_drop_total series: reason, protocol (+context).</summary>
    public IReadOnlyList<CounterSeries> Drops() => Collect(static c => c.Drops, static key =>
    [
        KeyValuePair.Create("reason", HubbleEnum.DropReason.NameOf((int)(key & 0xffffffff))),
        KeyValuePair.Create("protocol", HubbleLabels.ProtocolName((int)(key >> 32))),
    ]);

    /// <summary>hubble_tcp_flags_total series: flag, family (+context).</summary>
    public IReadOnlyList<CounterSeries> TcpFlags() => Collect(static c => c.TcpFlags, static key =>
    [
        KeyValuePair.Create("flag", HubbleLabels.TcpFlagName((int)(key & 0xff))),
        KeyValuePair.Create("family", HubbleEnum.IPVersion.NameOf((int)(key >> 8))),
    ]);

    /// <summary>hubble_http_requests_total series: method, protocol, status, reporter (+context, request direction).</summary>
    public IReadOnlyList<CounterSeries> HttpRequests()
    {
        lock (_gate)
        {
            var series = new List<CounterSeries>();
            foreach (var (context, counters) in _contexts)
            {
                foreach (var (key, value) in counters.HttpRequests)
                {
                    series.Add(new CounterSeries(context,
                    [
                        KeyValuePair.Create("method", key.Method),
                        KeyValuePair.Create("protocol", key.Protocol),
                        KeyValuePair.Create("status", key.Status.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                        KeyValuePair.Create("reporter", HubbleLabels.ReporterName(key.Reporter)),
                    ], value));
                }
            }

            return series;
        }
    }

    /// <summary>hubble_lost_events_total by source (lower-case LostEventSource name, as Hubble labels it).</summary>
    public IReadOnlyList<KeyValuePair<string, long>> LostEventsBySource()
    {
        lock (_gate)
        {
            return [.. _lostEventsBySource.Select(e => KeyValuePair.Create(HubbleEnum.LostEventSource.NameOf(e.Key).ToLowerInvariant(), e.Value))];
        }
    }

    private IReadOnlyList<CounterSeries> Collect(
        Func<ContextCounters, Dictionary<long, long>> table, Func<long, KeyValuePair<string, string>[]> labels)
    {
        lock (_gate)
        {
            var series = new List<CounterSeries>();
            foreach (var (context, counters) in _contexts)
            {
                foreach (var (key, value) in table(counters))
                {
                    series.Add(new CounterSeries(context, labels(key), value));
                }
            }

            return series;
        }
    }

    private ContextCounters CountersFor(MetricContext context, out MetricContext bounded)
    {
        if (_contexts.TryGetValue(context, out var counters))
        {
            bounded = context;
            return counters;
        }

        if (_contexts.Count >= maxContexts && context != MetricContext.Other)
        {
            bounded = MetricContext.Other;
            if (!_contexts.TryGetValue(MetricContext.Other, out counters))
            {
                // The overflow series may exceed the cap by exactly one.
                counters = new ContextCounters();
                _contexts.Add(MetricContext.Other, counters);
            }

            return counters;
        }

        counters = new ContextCounters();
        _contexts.Add(context, counters);
        bounded = context;
        return counters;
    }

    private static MetricContext ContextOf(FlowRecord flow, string cluster, bool inverted)
    {
        var (from, to) = inverted ? (flow.Destination, flow.Source) : (flow.Source, flow.Destination);
        return new MetricContext(
            cluster,
            from.Namespace,
            WorkloadOf(from),
            to.Namespace,
            WorkloadOf(to),
            to.Version);
    }

    // Hubble's workload-name context; flows without workloads fall back to the app label.
    private static string WorkloadOf(FlowEndpoint endpoint) => endpoint.Workload.Length > 0 ? endpoint.Workload : endpoint.App;

    private static void Increment(Dictionary<long, long> table, long key)
    {
        System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(table, key, out _)++;
    }

    private sealed class ContextCounters
    {
        public Dictionary<long, long> Flows { get; } = [];

        public Dictionary<long, long> Drops { get; } = [];

        public Dictionary<long, long> TcpFlags { get; } = [];

        public Dictionary<HttpSeriesKey, long> HttpRequests { get; } = [];
    }
}
