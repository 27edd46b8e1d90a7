namespace LabNet.CanaryController.Resources;

/// <summary>
/// <c>spec</c> of a <c>labnet.io/v1alpha1</c> <c>Canary</c>. Defaults equal the CRD's (manifests/crds/canary.yaml),
/// so a resource read without them behaves the same as one the API server defaulted.
/// </summary>
public sealed record CanarySpec
{
    public required CanaryTarget Target { get; init; }

    public HeaderProbeSpec HeaderProbe { get; init; } = new();

    public TrafficStepsSpec Traffic { get; init; } = new();

    public AnalysisSpec Analysis { get; init; } = new();

    public GuardsSpec Guards { get; init; } = new();

    public SequentialTestSpec Test { get; init; } = new();

    public DeadlineSpec Deadline { get; init; } = new();

    public RollbackSpec Rollback { get; init; } = new();

    /// <summary>
    /// Decide on live traffic but change nothing: weight and outlierDetection changes become events ("would set ..."),
    /// e.g. to compare this policy with the tool that drives the rollout today.
    /// </summary>
    public bool DryRun { get; init; }
}

/// <summary>Which service is rolled out and which Istio objects and subsets carry it.</summary>
public sealed record CanaryTarget
{
    /// <summary>Optional in the CRD (the Canary's own namespace); the Kubernetes adapter fills it in before deciding.</summary>
    public required string Namespace { get; init; }

    /// <summary>The Kubernetes Service (and the VirtualService destination host).</summary>
    public required string Service { get; init; }

    public required string VirtualService { get; init; }

    public required string DestinationRule { get; init; }

    public string StableSubset { get; init; } = "v1";

    public string CanarySubset { get; init; } = "v2";
}

/// <summary>
/// Header-only smoke phase before any weighted traffic (the seed's <c>x-canary: true</c> route):
/// the canary must serve <see cref="MinRequests"/> header-routed requests and pass the same tests.
/// </summary>
public sealed record HeaderProbeSpec
{
    public bool Enabled { get; init; } = true;

    public string HeaderName { get; init; } = "x-canary";

    public string HeaderValue { get; init; } = "true";

    public long MinRequests { get; init; } = 50;
}

/// <summary>
/// The weight ladder: explicit <see cref="Steps"/> (e.g. 20, 50, 80, 100), or <see cref="StepSize"/> up to
/// <see cref="MaxWeight"/>. The canary gets 100 when the last step passes (promotion).
/// </summary>
public sealed record TrafficStepsSpec
{
    public IReadOnlyList<int>? Steps { get; init; }

    public int? StepSize { get; init; }

    public int? MaxWeight { get; init; }

    /// <summary>Observed canary share may differ from the written weight by this many points (plus 5 sigma of sampling noise).</summary>
    public double SplitTolerancePercent { get; init; } = 5;

    /// <summary>The ladder this spec describes. Call only on a validated spec.</summary>
    public IReadOnlyList<int> Ladder()
    {
        if (Steps is { Count: > 0 } steps)
        {
            return steps;
        }

        var size = StepSize ?? 20;
        var max = MaxWeight ?? 100;
        var ladder = new List<int>();
        for (var weight = size; weight < max; weight += size)
        {
            ladder.Add(weight);
        }

        ladder.Add(max);
        return ladder;
    }
}

/// <summary>How often the controller decides and how much traffic a decision needs.</summary>
public sealed record AnalysisSpec
{
    /// <summary>Decision cadence. Each tick analyses the traffic since the previous tick (windows never overlap).</summary>
    public TimeSpan Interval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest summary window asked for in one tick (catch-up after a restart is capped to this).</summary>
    public TimeSpan Window { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Canary requests needed in a step (outside the header probe) before it may advance.</summary>
    public long MinRequestsPerStep { get; init; } = 200;
}

/// <summary>Absolute guards and the latency comparison against stable.</summary>
public sealed record GuardsSpec
{
    /// <summary>Minimum canary success rate, percent (non-5xx share). Tested sequentially, not per window.</summary>
    public double MinSuccessRatePercent { get; init; } = 99;

    /// <summary>Maximum canary p99 latency, milliseconds.</summary>
    public double MaxP99LatencyMs { get; init; } = 500;

    /// <summary>Maximum canary p99 / stable p99.</summary>
    public double MaxP99Ratio { get; init; } = 1.5;

    /// <summary>Requests per version before a p99 is trusted (about 1% of them form the tail).</summary>
    public long MinLatencySamples { get; init; } = 500;
}

/// <summary>Error targets of the sequential tests.</summary>
public sealed record SequentialTestSpec
{
    /// <summary>Bound on the probability that a canary as good as stable is rolled back, over the whole rollout.</summary>
    public double Alpha { get; init; } = 0.01;

    /// <summary>Miss probability for an error-rate regression of <see cref="MinimumDetectableEffectPercent"/> (power = 1 - beta); sizes the first step.</summary>
    public double Beta { get; init; } = 0.2;

    /// <summary>Smallest error-rate increase, in percentage points, the analysis must be able to see before the canary leaves its first step.</summary>
    public double MinimumDetectableEffectPercent { get; init; } = 1;
}

/// <summary>How long the controller holds without a decision before it fails safe.</summary>
public sealed record DeadlineSpec
{
    /// <summary>Longest a phase step may wait for enough traffic.</summary>
    public TimeSpan NotEnoughData { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Longest the metrics source may be unavailable.</summary>
    public TimeSpan MetricsUnavailable { get; init; } = TimeSpan.FromMinutes(5);

    public FailSafeAction OnExpiry { get; init; } = FailSafeAction.RouteToStable;
}

public enum FailSafeAction
{
    /// <summary>Canary weight 0: stable is the version known to work.</summary>
    RouteToStable,

    /// <summary>Keep the current weights (e.g. the canary ran an irreversible migration); a person decides.</summary>
    Freeze,
}

/// <summary>Outlier detection for the canary subset while analysing and after a rollback.</summary>
public sealed record RollbackSpec
{
    /// <summary>Tighter than stable's while the canary takes traffic; removed on promotion.</summary>
    public OutlierDetectionSettings? DuringAnalysis { get; init; } = OutlierDetectionSettings.Tightened;

    /// <summary>Ejects canary endpoints quickly once rolled back (they only see header traffic then).</summary>
    public OutlierDetectionSettings? AfterRollback { get; init; } = OutlierDetectionSettings.EjectQuickly;
}
