namespace LabNet.FlowCollector.Traffic;

/// <summary>
/// GET /api/traffic/summary: per-version requests, status classes, success rate (non-5xx / requests), latency
/// percentiles and drops for a service over a window, from exact per-second counters and mergeable histograms.
/// <see cref="Reporter"/> says whose view the request counts are (server when its proxy reports, else client).
/// </summary>
public sealed record TrafficSummary(
    string Namespace,
    string Service,
    double WindowSeconds,
    DateTimeOffset From,
    DateTimeOffset To,
    string Reporter,
    string? ProbeValue,
    IReadOnlyList<VersionTraffic> Versions,
    VersionTraffic Total);
