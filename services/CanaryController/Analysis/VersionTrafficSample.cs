namespace LabNet.CanaryController.Analysis;

/// <summary>
/// One version's traffic over one window, as the FlowCollector's summary gives it: request and 5xx counts, and latency
/// either as a mergeable histogram (preferred) or as percentiles.
/// </summary>
public sealed record VersionTrafficSample
{
    public long Requests { get; init; }

    /// <summary>Of <see cref="Requests"/>, those routed by the header probe's match (not by the weighted route).</summary>
    public long ProbeRequests { get; init; }

    public long Errors5xx { get; init; }

    public double? P50Ms { get; init; }

    public double? P90Ms { get; init; }

    public double? P99Ms { get; init; }

    public LatencyHistogram? Latency { get; init; }

    public static VersionTrafficSample None { get; } = new();

    /// <summary>Non-5xx share, percent; null without requests.</summary>
    public double? SuccessRatePercent => Requests == 0 ? null : 100.0 * (Requests - Errors5xx) / Requests;

    /// <summary>p99 from the histogram when there is one, else the reported percentile.</summary>
    public double? P99 => Latency?.Quantile(0.99) ?? P99Ms;
}
