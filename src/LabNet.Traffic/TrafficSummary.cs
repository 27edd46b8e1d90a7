namespace LabNet.Traffic;

/// <summary>
/// <c>GET /api/traffic/summary</c> (<see cref="TrafficSummaryApi"/>): a service's requests per version over the window
/// [<see cref="From"/>, <see cref="To"/>], cut on whole seconds at the start, from exact per-second counters and
/// mergeable histograms. <see cref="Reporter"/> says whose view the request counts are (<c>server</c> when the
/// server's proxy reports, else <c>client</c>); <see cref="ProbeValue"/> is the probe header value asked about, if any.
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
    VersionTraffic Total)
{
    /// <summary>One version's row; a version without traffic in the window has none, which is zero requests.</summary>
    public VersionTraffic Version(string version) =>
        Versions.FirstOrDefault(v => v.Version == version) ?? VersionTraffic.None(version);
}
