using System.Text.Json;
using System.Text.Json.Serialization;

namespace LabNet.Benchmarks.FlowCollector;

/// <summary>
/// The straightforward way, for the ratio: deserialize each JSON line into objects with System.Text.Json, then count
/// with string-keyed dictionaries.
/// </summary>
public sealed class NaiveFlowAggregation
{
    private static readonly JsonSerializerOptions Options = new() { PropertyNameCaseInsensitive = false };

    public Dictionary<(string Verdict, string Type, string SourceWorkload, string DestinationWorkload), long> Flows { get; } = [];

    public Dictionary<(string Reason, string DestinationWorkload), long> Drops { get; } = [];

    public Dictionary<(string Method, uint Code, string Version), long> HttpRequests { get; } = [];

    public void Add(string line)
    {
        var envelope = JsonSerializer.Deserialize<Envelope>(line, Options);
        if (envelope?.Flow is not { } flow)
        {
            return;
        }

        var sourceWorkload = flow.Source?.Workloads?.FirstOrDefault()?.Name ?? "";
        var destinationWorkload = flow.Destination?.Workloads?.FirstOrDefault()?.Name ?? "";
        var key = (flow.Verdict ?? "", flow.Type ?? "", sourceWorkload, destinationWorkload);
        Flows[key] = Flows.GetValueOrDefault(key) + 1;
        if (flow.Verdict == "DROPPED")
        {
            var drop = (flow.DropReasonDesc ?? "", destinationWorkload);
            Drops[drop] = Drops.GetValueOrDefault(drop) + 1;
        }

        if (flow.L7?.Http is { } http && flow.L7.Type == "RESPONSE")
        {
            var version = flow.Source?.Labels?.FirstOrDefault(l => l.StartsWith("k8s:version=", StringComparison.Ordinal))?["k8s:version=".Length..] ?? "";
            var request = (http.Method ?? "", http.Code, version);
            HttpRequests[request] = HttpRequests.GetValueOrDefault(request) + 1;
        }
    }

    public sealed class Envelope
    {
        [JsonPropertyName("flow")] public FlowDto? Flow { get; set; }
        [JsonPropertyName("node_name")] public string? NodeName { get; set; }
        [JsonPropertyName("time")] public DateTimeOffset? Time { get; set; }
    }

    public sealed class FlowDto
    {
        [JsonPropertyName("time")] public DateTimeOffset? Time { get; set; }
        [JsonPropertyName("uuid")] public string? Uuid { get; set; }
        [JsonPropertyName("verdict")] public string? Verdict { get; set; }
        [JsonPropertyName("drop_reason_desc")] public string? DropReasonDesc { get; set; }
        [JsonPropertyName("IP")] public IpDto? IP { get; set; }
        [JsonPropertyName("l4")] public Dictionary<string, JsonElement>? L4 { get; set; }
        [JsonPropertyName("source")] public EndpointDto? Source { get; set; }
        [JsonPropertyName("destination")] public EndpointDto? Destination { get; set; }
        [JsonPropertyName("Type")] public string? Type { get; set; }
        [JsonPropertyName("node_name")] public string? NodeName { get; set; }
        [JsonPropertyName("l7")] public L7Dto? L7 { get; set; }
        [JsonPropertyName("event_type")] public EventTypeDto? EventType { get; set; }
        [JsonPropertyName("traffic_direction")] public string? TrafficDirection { get; set; }
        [JsonPropertyName("is_reply")] public bool? IsReply { get; set; }
        [JsonPropertyName("Summary")] public string? Summary { get; set; }
    }

    public sealed class IpDto
    {
        [JsonPropertyName("source")] public string? Source { get; set; }
        [JsonPropertyName("destination")] public string? Destination { get; set; }
        [JsonPropertyName("ipVersion")] public string? IpVersion { get; set; }
    }

    public sealed class EndpointDto
    {
        [JsonPropertyName("ID")] public uint Id { get; set; }
        [JsonPropertyName("identity")] public uint Identity { get; set; }
        [JsonPropertyName("namespace")] public string? Namespace { get; set; }
        [JsonPropertyName("labels")] public List<string>? Labels { get; set; }
        [JsonPropertyName("pod_name")] public string? PodName { get; set; }
        [JsonPropertyName("workloads")] public List<WorkloadDto>? Workloads { get; set; }
    }

    public sealed class WorkloadDto
    {
        [JsonPropertyName("name")] public string? Name { get; set; }
        [JsonPropertyName("kind")] public string? Kind { get; set; }
    }

    public sealed class EventTypeDto
    {
        [JsonPropertyName("type")] public int Type { get; set; }
        [JsonPropertyName("sub_type")] public int SubType { get; set; }
    }

    public sealed class L7Dto
    {
        [JsonPropertyName("type")] public string? Type { get; set; }
        [JsonPropertyName("latency_ns")] [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)] public ulong LatencyNs { get; set; }
        [JsonPropertyName("http")] public HttpDto? Http { get; set; }
        [JsonPropertyName("dns")] public JsonElement? Dns { get; set; }
    }

    public sealed class HttpDto
    {
        [JsonPropertyName("code")] public uint Code { get; set; }
        [JsonPropertyName("method")] public string? Method { get; set; }
        [JsonPropertyName("url")] public string? Url { get; set; }
        [JsonPropertyName("protocol")] public string? Protocol { get; set; }
        [JsonPropertyName("headers")] public List<HeaderDto>? Headers { get; set; }
    }

    public sealed class HeaderDto
    {
        [JsonPropertyName("key")] public string? Key { get; set; }
        [JsonPropertyName("value")] public string? Value { get; set; }
    }
}
