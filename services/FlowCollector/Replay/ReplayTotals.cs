using LabNet.FlowCollector.Decoding;
using LabNet.FlowCollector.Metrics;

namespace LabNet.FlowCollector.Replay;

/// <summary>What a replay prints: the totals of the series the collector would export for the input.</summary>
public sealed record ReplayTotals(
    IReadOnlyList<string> Inputs,
    long Lines,
    long Flows,
    long MalformedLines,
    long LostEvents,
    long OtherEvents,
    SortedDictionary<string, long> FlowsByVerdict,
    SortedDictionary<string, long> FlowsByType,
    SortedDictionary<string, long> DropsByReason,
    long HttpRequests,
    SortedDictionary<string, long> HttpRequestsByMethod,
    SortedDictionary<string, long> HttpRequestsByStatus,
    SortedDictionary<string, long> HttpRequestsByDestinationVersion,
    IReadOnlyList<MalformedLine> Malformed)
{
    public static ReplayTotals From(IReadOnlyList<string> inputs, IReadOnlyList<JsonLinesResult> results, FlowAggregator aggregator)
    {
        var flows = aggregator.FlowsProcessed();
        var http = aggregator.HttpRequests();
        return new ReplayTotals(
            inputs,
            results.Sum(r => r.Lines),
            aggregator.Flows,
            aggregator.MalformedLines,
            aggregator.LostEvents,
            results.Sum(r => r.OtherEvents),
            SumBy(flows, "verdict"),
            SumBy(flows, "type"),
            SumBy(aggregator.Drops(), "reason"),
            http.Sum(s => s.Value),
            SumBy(http, "method"),
            SumBy(http, "status"),
            SumBy(http, "destination_version"),
            [.. results.SelectMany(r => r.FirstMalformed).Take(JsonLinesIngestor.MaxListedMalformed)]);
    }

    private static SortedDictionary<string, long> SumBy(IReadOnlyList<CounterSeries> series, string label)
    {
        var totals = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var s in series)
        {
            var key = s.Label(label) ?? "";
            totals[key] = totals.GetValueOrDefault(key) + s.Value;
        }

        return totals;
    }
}
