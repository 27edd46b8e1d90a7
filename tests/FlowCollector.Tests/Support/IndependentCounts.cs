using System.Text.Json;

namespace LabNet.FlowCollector.Tests.Support;

/// <summary>
/// Counts a capture the simple way (JsonDocument per line, a few dictionaries), independent of the collector's
/// decoder, so the collector's metrics can be checked against it.
/// </summary>
public sealed class IndependentCounts
{
    private static readonly Dictionary<int, string> VerdictNames = new()
    {
        [0] = "VERDICT_UNKNOWN", [1] = "FORWARDED", [2] = "DROPPED", [3] = "ERROR", [4] = "AUDIT", [5] = "REDIRECTED",
    };

    private static readonly Dictionary<int, string> DropReasonNames = new()
    {
        [0] = "DROP_REASON_UNKNOWN", [133] = "POLICY_DENIED", [136] = "CT_MISSING_TCP_ACK_FLAG", [151] = "STALE_OR_UNROUTABLE_IP", [181] = "POLICY_DENY",
    };

    public long Flows { get; private set; }

    public long Unparseable { get; private set; }

    public Dictionary<string, long> ByVerdict { get; } = [];

    public Dictionary<string, long> DropsByReason { get; } = [];

    public Dictionary<string, long> HttpByMethod { get; } = [];

    public Dictionary<string, long> HttpByStatus { get; } = [];

    public Dictionary<string, long> HttpByDestinationVersion { get; } = [];

    public Dictionary<string, long> TcpFlags { get; } = [];

    public static IndependentCounts Of(params string[] files)
    {
        var counts = new IndependentCounts();
        foreach (var file in files)
        {
            foreach (var line in File.ReadLines(file))
            {
                counts.Count(line);
            }
        }

        return counts;
    }

    private void Count(string line)
    {
        JsonElement flow;
        try
        {
            using var document = JsonDocument.Parse(line);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("flow", out flow))
            {
                return;
            }

            flow = flow.Clone();
        }
        catch (JsonException)
        {
            Unparseable++;
            return;
        }

        var verdict = Get(flow, "verdict") is { } v
            ? v.ValueKind == JsonValueKind.Number ? VerdictNames[v.GetInt32()] : v.GetString()!
            : "VERDICT_UNKNOWN";
        if (verdict is not ("FORWARDED" or "DROPPED" or "REDIRECTED"))
        {
            // The captures only hold these; anything else is a malformed line the collector rejects.
            return;
        }

        if (Get(flow, "time") is { } t && !char.IsAsciiDigit(t.GetString()![0]))
        {
            return;
        }

        Flows++;
        Add(ByVerdict, verdict);

        if (verdict == "DROPPED")
        {
            var reason = Get(flow, "drop_reason_desc", "dropReasonDesc") is { } r
                ? r.ValueKind == JsonValueKind.Number ? DropReasonNames[r.GetInt32()] : r.GetString()!
                : "DROP_REASON_UNKNOWN";
            Add(DropsByReason, reason);
        }

        if (Get(flow, "l4") is { } l4 && l4.TryGetProperty("TCP", out var tcp) && Get(tcp, "flags") is { } flags
            && verdict is "FORWARDED" or "REDIRECTED")
        {
            bool Has(string name) => flags.TryGetProperty(name, out var f) && f.GetBoolean();
            if (Has("SYN"))
            {
                Add(TcpFlags, Has("ACK") ? "SYN-ACK" : "SYN");
            }

            if (Has("FIN"))
            {
                Add(TcpFlags, "FIN");
            }

            if (Has("RST"))
            {
                Add(TcpFlags, "RST");
            }
        }

        if (Get(flow, "l7") is { } l7 && Get(l7, "type")?.GetString() == "RESPONSE" && Get(l7, "http") is { } http)
        {
            Add(HttpByMethod, http.GetProperty("method").GetString()!);
            Add(HttpByStatus, http.GetProperty("code").GetInt32().ToString(System.Globalization.CultureInfo.InvariantCulture));

            // A response flows from the server: the request's destination version is the response's source version.
            var version = Get(flow, "source") is { } source && Get(source, "labels") is { } labels
                ? labels.EnumerateArray().Select(l => l.GetString()!).FirstOrDefault(l => l.StartsWith("k8s:version=", StringComparison.Ordinal))?["k8s:version=".Length..] ?? ""
                : "";
            Add(HttpByDestinationVersion, version);
        }
    }

    private static JsonElement? Get(JsonElement element, params string[] names)
    {
        foreach (var name in names)
        {
            if (element.TryGetProperty(name, out var value))
            {
                return value;
            }
        }

        return null;
    }

    private static void Add(Dictionary<string, long> counts, string key) => counts[key] = counts.GetValueOrDefault(key) + 1;
}
