using LabNet.Traffic;

namespace LabNet.CanaryController.Analysis;

/// <summary>What the metrics source said this tick.</summary>
public abstract record TrafficObservation;

/// <summary>
/// Traffic of both versions over the same window [<see cref="WindowStart"/>, <see cref="WindowEnd"/>), each with its
/// latency histogram, as the FlowCollector's summary gives it. Zero requests is a valid answer ("no data"), not an error.
/// </summary>
public sealed record TrafficWindow(
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    VersionTraffic Stable,
    VersionTraffic Canary) : TrafficObservation
{
    /// <summary>Why this window cannot be true (counts that contradict each other, unreadable histograms), or null when it is usable.</summary>
    public string? Problem() =>
        WindowEnd <= WindowStart
            ? $"window {WindowStart:O}..{WindowEnd:O} is empty or reversed"
            : Stable.Problem() ?? Canary.Problem();
}

/// <summary>The metrics source could not be asked (down, timed out, answered garbage): nothing is known.</summary>
public sealed record MetricsUnavailable(string Reason) : TrafficObservation;
