namespace LabNet.FlowCollector.Traffic;

/// <summary>
/// Traffic to one version of a service over the summary window. <see cref="ProbeRequests"/> are the part of
/// <see cref="Requests"/> that carried the probe header with the value the query asked about (0 when it asked none).
/// </summary>
public sealed record VersionTraffic(
    string Version,
    long Requests,
    long ProbeRequests,
    long Status2xx,
    long Status4xx,
    long Status5xx,
    long Drops,
    double? SuccessRate,
    double? Share,
    double? LatencyP50Ms,
    double? LatencyP90Ms,
    double? LatencyP99Ms);
