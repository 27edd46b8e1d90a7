namespace LabNet.Canary;

/// <summary>Machine-readable reasons of decisions, events and conditions (CamelCase, as Kubernetes reasons are).</summary>
public static class DecisionReasons
{
    public const string Initialized = "Initialized";
    public const string HeaderProbePassed = "HeaderProbePassed";
    public const string StepPassed = "StepPassed";
    public const string Promoted = "Promoted";
    public const string NotEnoughData = "NotEnoughData";
    public const string MetricsUnavailable = "MetricsUnavailable";
    public const string TrafficSplitMismatch = "TrafficSplitMismatch";
    public const string EvidenceLeansWorse = "EvidenceLeansWorse";
    public const string WeightDrift = "WeightDrift";
    public const string StaleWindow = "StaleWindow";
    public const string ErrorRateAboveStable = "ErrorRateAboveStable";
    public const string SuccessRateBelowMinimum = "SuccessRateBelowMinimum";
    public const string P99AboveMaximum = "P99AboveMaximum";
    public const string P99AboveStable = "P99AboveStable";
    public const string LatencyTailAboveStable = "LatencyTailAboveStable";
    public const string NotEnoughDataDeadlineExceeded = "NotEnoughDataDeadlineExceeded";
    public const string MetricsUnavailableDeadlineExceeded = "MetricsUnavailableDeadlineExceeded";
    public const string RolledBack = "RolledBack";
    public const string ManualPause = "ManualPause";
    public const string ManualResume = "ManualResume";
    public const string ManualPromotion = "ManualPromotion";
    public const string ManualAbort = "ManualAbort";
    public const string AnalysisRestarted = "AnalysisRestarted";

    /// <summary>The status was written in a shape this controller no longer reads (e.g. an older latency histogram).</summary>
    public const string StatusOutdated = "StatusOutdated";
    public const string CommandNotApplicable = "CommandNotApplicable";
    public const string DryRun = "DryRun";
}
