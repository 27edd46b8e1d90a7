namespace LabNet.CanaryController.Traffic;

/// <summary>
/// The FlowCollector's <c>GET /api/traffic/summary</c> answer (services/FlowCollector/Traffic/TrafficSummary.cs), as
/// JSON with web defaults: the window is [<see cref="From"/>, <see cref="To"/>] cut on whole seconds at the start.
/// </summary>
public sealed record FlowCollectorSummary(
    string Namespace,
    string Service,
    double WindowSeconds,
    DateTimeOffset From,
    DateTimeOffset To,
    string? Reporter,
    IReadOnlyList<FlowCollectorVersionTraffic>? Versions);

/// <summary>
/// One version's traffic in the summary (by the pods' <c>version</c> label); <see cref="ProbeRequests"/> of its requests
/// carried the header probe's header and value (routed by the header route, not by weight).
/// </summary>
public sealed record FlowCollectorVersionTraffic(
    string Version,
    long Requests,
    long Status2xx,
    long Status4xx,
    long Status5xx,
    long Drops,
    double? SuccessRate,
    double? Share,
    double? LatencyP50Ms,
    double? LatencyP90Ms,
    double? LatencyP99Ms,
    long ProbeRequests = 0);
