namespace LabNet.Traffic;

/// <summary>
/// Requests to one version of a service over the summary's window, by the pods' <c>version</c> label.
/// <see cref="ProbeRequests"/> are the part of <see cref="Requests"/> that carried the probe header with the value the
/// query asked about (0 when it asked none). The success rate and the percentiles are derived from the counts and the
/// histogram (written to JSON for people and dashboards; a reader recomputes them).
/// </summary>
public sealed record VersionTraffic
{
    public required string Version { get; init; }

    public long Requests { get; init; }

    public long ProbeRequests { get; init; }

    public long Status2xx { get; init; }

    public long Status4xx { get; init; }

    public long Status5xx { get; init; }

    /// <summary>Dropped flows towards the version (policy denials and the like): not requests, counted apart.</summary>
    public long Drops { get; init; }

    /// <summary>This version's part of the service's requests (0..1); null without requests.</summary>
    public double? Share { get; init; }

    /// <summary>Latency of every request counted in <see cref="Requests"/>.</summary>
    public LatencyHistogram Latency { get; init; } = LatencyHistogram.Empty;

    /// <summary>Non-5xx share of the requests (0..1); null without requests.</summary>
    public double? SuccessRate => Requests == 0 ? null : (double)(Requests - Status5xx) / Requests;

    public double? LatencyP50Ms => Rounded(Latency.QuantileMs(0.50));

    public double? LatencyP90Ms => Rounded(Latency.QuantileMs(0.90));

    public double? LatencyP99Ms => Rounded(Latency.QuantileMs(0.99));

    /// <summary>A version that had no requests in the window.</summary>
    public static VersionTraffic None(string version) => new() { Version = version };

    /// <summary>Why these counts cannot be true, or null when they can.</summary>
    public string? Problem() =>
        Requests < 0 || ProbeRequests < 0 || Status5xx < 0 || Drops < 0 ? $"version {Version} has negative counts"
        : Status5xx > Requests ? $"version {Version} has more 5xx ({Status5xx}) than requests ({Requests})"
        : ProbeRequests > Requests ? $"version {Version} has more probe requests ({ProbeRequests}) than requests ({Requests})"
        : Latency.Problem() is { } histogram ? $"version {Version}: {histogram}"
        : Latency.Total != Requests ? $"version {Version} has {Latency.Total} latency samples for {Requests} requests (every request is in the histogram)"
        : null;

    private static double? Rounded(double? milliseconds) => milliseconds is { } ms ? Math.Round(ms, 3) : null;
}
