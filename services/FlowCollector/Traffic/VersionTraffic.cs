namespace LabNet.FlowCollector.Traffic;

/// <summary>Traffic to one version of a service over the summary window.</summary>
public sealed record VersionTraffic(
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
    double? LatencyP99Ms);
