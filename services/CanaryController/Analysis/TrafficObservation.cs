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
    VersionTrafficSample Canary) : TrafficObservation
{
    /// <summary>Why this summary cannot be true (counts that contradict each other), or null when it is usable.</summary>
    public string? Problem()
    {
        if (WindowEnd <= WindowStart)
        {
            return $"window {WindowStart:O}..{WindowEnd:O} is empty or reversed";
        }

        return Check("stable", Stable) ?? Check("canary", Canary);

        static string? Check(string version, VersionTrafficSample sample) =>
            sample.Requests < 0 || sample.Errors5xx < 0 ? $"{version} has negative counts"
            : sample.Errors5xx > sample.Requests ? $"{version} has more 5xx ({sample.Errors5xx}) than requests ({sample.Requests})"
            : sample.Latency is { } histogram && histogram.Total > sample.Requests ? $"{version} has more latency samples ({histogram.Total}) than requests ({sample.Requests})"
            : null;
    }
}

/// <summary>The metrics source could not be asked (down, timed out, answered garbage): nothing is known.</summary>
public sealed record MetricsUnavailable(string Reason) : TrafficObservation;
