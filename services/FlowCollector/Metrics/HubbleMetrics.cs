using System.Diagnostics;
using System.Diagnostics.Metrics;
using LabNet.FlowCollector.Flows;

namespace LabNet.FlowCollector.Metrics;

/// <summary>
/// The OpenTelemetry instruments, named after Hubble's own metrics so that a Prometheus exporter renders
/// <c>hubble_flows_processed_total</c>, <c>hubble_drop_total</c>, <c>hubble_tcp_flags_total</c>,
/// <c>hubble_http_requests_total</c>, <c>hubble_http_request_duration_seconds</c> and <c>hubble_lost_events_total</c>.
/// Counters are observable views over the exact <see cref="FlowAggregator"/> (ingestion never pays for the SDK's
/// per-measurement tag lookup); the duration histogram records HTTP responses with Hubble's buckets.
/// </summary>
public sealed class HubbleMetrics
{
    public const string MeterName = "LabNet.FlowCollector";

    /// <summary>Hubble's http handler uses Prometheus' default buckets (seconds).</summary>
    public static IReadOnlyList<double> HttpDurationBuckets { get; } = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

    private readonly Histogram<double> _httpDuration;

    public HubbleMetrics(IMeterFactory meterFactory, FlowAggregator aggregator)
    {
        Aggregator = aggregator;
        var meter = meterFactory.Create(MeterName);

        meter.CreateObservableCounter("hubble.flows.processed", () => Observe(aggregator.FlowsProcessed()),
            description: "Total number of flows processed");
        meter.CreateObservableCounter("hubble.drop", () => Observe(aggregator.Drops()),
            description: "Number of drops");
        meter.CreateObservableCounter("hubble.tcp.flags", () => Observe(aggregator.TcpFlags()),
            description: "TCP flag occurrences");
        meter.CreateObservableCounter("hubble.http.requests", () => Observe(aggregator.HttpRequests()),
            description: "Count of HTTP requests");
        meter.CreateObservableCounter("hubble.lost.events", ObserveLostEvents,
            description: "Number of lost events");
        meter.CreateObservableCounter("labnet.flowcollector.malformed.lines", () => aggregator.MalformedLines,
            description: "Flow lines that were not Hubble JSON and were skipped");
        meter.CreateObservableCounter("labnet.flowcollector.undecodable.flows", () => aggregator.UndecodableFlows,
            description: "Flows received from a relay that could not be decoded");
        meter.CreateObservableCounter("labnet.flowcollector.overflow.flows", () => aggregator.OverflowFlows,
            description: "Flows counted under the 'other' context because the metric context cap was reached");

        _httpDuration = meter.CreateHistogram<double>(
            "hubble.http.request.duration",
            unit: "s",
            description: "Quantiles of HTTP request duration in seconds",
            tags: null,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = HttpDurationBuckets });
    }

    public FlowAggregator Aggregator { get; }

    public void Record(FlowRecord flow, string cluster)
    {
        if (Aggregator.Add(flow, cluster, out var context) && _httpDuration.Enabled)
        {
            var tags = new TagList();
            context.AddTo(ref tags);
            tags.Add("method", flow.HttpMethod);
            tags.Add("reporter", HubbleLabels.ReporterName(HubbleLabels.ReporterCode(flow.TrafficDirection)));
            _httpDuration.Record(flow.LatencyNs / 1e9, tags);
        }
    }

    private static IEnumerable<Measurement<long>> Observe(IReadOnlyList<CounterSeries> series)
    {
        foreach (var s in series)
        {
            var tags = new TagList();
            foreach (var label in s.Labels)
            {
                tags.Add(label.Key, label.Value);
            }

            s.Context.AddTo(ref tags);
            yield return new Measurement<long>(s.Value, tags);
        }
    }

    private IEnumerable<Measurement<long>> ObserveLostEvents()
    {
        foreach (var (source, value) in Aggregator.LostEventsBySource())
        {
            yield return new Measurement<long>(value, new KeyValuePair<string, object?>("source", source));
        }
    }
}
