using LabNet.Canary;
using LabNet.CanaryController.Analysis;
using LabNet.Traffic;

namespace LabNet.CanaryController.Resources;

/// <summary>
/// <c>status</c> of a Canary: everything the controller needs to resume after a restart (phase, weights, step,
/// counters, the sequential tests' running state, the step's merged latency histograms) and what a person reads.
/// </summary>
public sealed record CanaryStatus
{
    public CanaryPhase Phase { get; init; } = CanaryPhase.Initializing;

    /// <summary>The canary weight last written to the weighted route (stable has 100 minus this).</summary>
    public int CanaryWeight { get; init; }

    public int StableWeight => 100 - CanaryWeight;

    /// <summary>Index into the weight ladder; -1 before the ramp.</summary>
    public int StepIndex { get; init; } = -1;

    /// <summary>The phase to return to on resume.</summary>
    public CanaryPhase? PausedFrom { get; init; }

    public long ObservedGeneration { get; init; }

    public DateTimeOffset? AnalysisStartedAt { get; init; }

    /// <summary>When the current header probe or step began, or was resumed: its deadline and request rate count from here.</summary>
    public DateTimeOffset? StepStartedAt { get; init; }

    /// <summary>When the current weights were written: only traffic after this counts towards the step.</summary>
    public DateTimeOffset? WeightsWrittenAt { get; init; }

    /// <summary>End of the last traffic window analysed; the next window starts here.</summary>
    public DateTimeOffset? ObservedUntil { get; init; }

    /// <summary>Last time the metrics source answered.</summary>
    public DateTimeOffset? MetricsLastSeenAt { get; init; }

    public AnalysisCounters Counters { get; init; } = new();

    /// <summary>The sequential tests since the analysis started (small effects build up evidence across steps).</summary>
    public SequentialTests AnalysisTests { get; init; } = SequentialTests.Fresh;

    /// <summary>The same tests since the current step started (a canary that turns bad late is not hidden by its good past).</summary>
    public SequentialTests StepTests { get; init; } = SequentialTests.Fresh;

    /// <summary>The canary's latency histogram merged over this step (null before its first window): what the p99 guards judge.</summary>
    public LatencyHistogram? StepCanaryLatency { get; init; }

    /// <summary>Stable's latency histogram merged over the whole analysis: the reference the canary is compared with.</summary>
    public LatencyHistogram? StableLatencyReference { get; init; }

    public IReadOnlyList<CanaryCondition> Conditions { get; init; } = [];

    public CanaryDecision? LastDecision { get; init; }

    /// <summary>The <c>labnet.io/command</c> annotation value last handled (written by the Kubernetes adapter, so a command runs once).</summary>
    public string? LastCommand { get; init; }

    /// <summary>W3C traceparent of the rollout's root span, linked from every decision span (kept here so a restart links to the same rollout).</summary>
    public string? RolloutTraceParent { get; init; }
}

/// <summary>Request and 5xx counts over the analysis and over the current step.</summary>
public sealed record AnalysisCounters
{
    public long CanaryRequests { get; init; }

    public long CanaryErrors { get; init; }

    public long StableRequests { get; init; }

    public long StableErrors { get; init; }

    public long StepCanaryRequests { get; init; }

    public long StepStableRequests { get; init; }

    /// <summary>Of the step's requests, those the header route sent (they follow the header, not the weights).</summary>
    public long StepCanaryProbeRequests { get; init; }

    public long StepStableProbeRequests { get; init; }

    public AnalysisCounters Add(VersionTraffic canary, VersionTraffic stable, bool countsForStep) => this with
    {
        CanaryRequests = CanaryRequests + canary.Requests,
        CanaryErrors = CanaryErrors + canary.Status5xx,
        StableRequests = StableRequests + stable.Requests,
        StableErrors = StableErrors + stable.Status5xx,
        StepCanaryRequests = StepCanaryRequests + (countsForStep ? canary.Requests : 0),
        StepStableRequests = StepStableRequests + (countsForStep ? stable.Requests : 0),
        StepCanaryProbeRequests = StepCanaryProbeRequests + (countsForStep ? canary.ProbeRequests : 0),
        StepStableProbeRequests = StepStableProbeRequests + (countsForStep ? stable.ProbeRequests : 0),
    };

    public AnalysisCounters StartStep() => this with { StepCanaryRequests = 0, StepStableRequests = 0, StepCanaryProbeRequests = 0, StepStableProbeRequests = 0 };
}
