namespace LabNet.CanaryController.Resources;

/// <summary>
/// The Istio DestinationRule <c>outlierDetection</c> fields the controller writes on the canary subset's
/// <c>trafficPolicy</c> (a subset-level policy overrides the rule-level one, so stable is untouched).
/// </summary>
public sealed record OutlierDetectionSettings
{
    public int Consecutive5xxErrors { get; init; }

    public TimeSpan Interval { get; init; }

    public TimeSpan BaseEjectionTime { get; init; }

    public int MaxEjectionPercent { get; init; }

    /// <summary>While analysing: the seed's 3 consecutive 5xx, but swept every 5 s instead of 30 s.</summary>
    public static OutlierDetectionSettings Tightened { get; } = new()
    {
        Consecutive5xxErrors = 3,
        Interval = TimeSpan.FromSeconds(5),
        BaseEjectionTime = TimeSpan.FromSeconds(30),
        MaxEjectionPercent = 100,
    };

    /// <summary>After a rollback: one 5xx ejects an endpoint for 5 minutes.</summary>
    public static OutlierDetectionSettings EjectQuickly { get; } = new()
    {
        Consecutive5xxErrors = 1,
        Interval = TimeSpan.FromSeconds(1),
        BaseEjectionTime = TimeSpan.FromMinutes(5),
        MaxEjectionPercent = 100,
    };
}
