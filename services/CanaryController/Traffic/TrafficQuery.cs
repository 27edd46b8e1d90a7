namespace LabNet.CanaryController.Traffic;

/// <summary>
/// One tick's question: traffic of <paramref name="Service"/> per version since <paramref name="Since"/> (the end of
/// the last window analysed) until now, at most <paramref name="MaxWindow"/> back. With a probe header, requests carrying
/// <paramref name="ProbeHeader"/>: <paramref name="ProbeValue"/> are counted apart.
/// </summary>
public sealed record TrafficQuery(
    string Namespace,
    string Service,
    string StableVersion,
    string CanaryVersion,
    DateTimeOffset Since,
    TimeSpan MaxWindow,
    string? ProbeHeader = null,
    string? ProbeValue = null);
