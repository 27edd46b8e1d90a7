namespace LabNet.CanaryController.Analysis;

/// <summary>What the metrics source said this tick.</summary>
public abstract record TrafficObservation;

/// <summary>
/// Traffic of both versions over the same window [<see cref="WindowStart"/>, <see cref="WindowEnd"/>). Zero requests is
/// a valid answer ("no data"), not an error.
/// </summary>
public sealed record TrafficSummary(
    DateTimeOffset WindowStart,
    DateTimeOffset WindowEnd,
    VersionTrafficSample Stable,
    VersionTrafficSample Canary) : TrafficObservation;

/// <summary>The metrics source could not be asked (down, timed out, answered garbage): nothing is known.</summary>
public sealed record MetricsUnavailable(string Reason) : TrafficObservation;
