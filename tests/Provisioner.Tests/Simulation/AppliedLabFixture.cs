using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;

namespace LabNet.Provisioner.Tests.Simulation;

/// <summary>
/// The original lab applied once against the simulator, shared by the tests that look at the result: the plan made
/// before it, the clusters, the tool calls and the spans of that apply, and its modeled duration.
/// </summary>
public sealed class AppliedLabFixture : IAsyncLifetime
{
    /// <summary>The guests' ssh password: no span of the apply may show it.</summary>
    public const string SshPassword = "Tr4ce-S3cret";

    private SimulatedLab? _lab;

    public SimulatedLab Lab => _lab ?? throw new InvalidOperationException("The lab did not start.");

    /// <summary>
    /// Slow enough that the modeled waits, not the twin's own overhead (a shim start-up is 0.1-0.3 s of wall time on a
    /// busy 2-core machine), decide the order in which calls finish, so the timeline is close to a real lab's. Overhead
    /// can only move calls later on it (about speed factor x overhead per short call), so a loaded machine makes the
    /// duration test stricter, never looser: 20 gave 613 s at a load average of 40 on two cores (10 gave 642 s on a
    /// quiet machine with slower shims), far from the 1100 s that half the sequential time allows.
    /// </summary>
    public const double SpeedFactor = 20;

    /// <summary>POST /api/lab/plan on the empty Mac, before the apply.</summary>
    public JsonNode Plan { get; private set; } = null!;

    public JsonNode FirstApply { get; private set; } = null!;

    /// <summary>The simulator's summary of the first apply's tool calls on its timeline of modeled tool time.</summary>
    public ModeledStepSummary FirstApplySteps { get; private set; } = null!;

    public IReadOnlyList<ModeledToolCall> FirstApplyCalls { get; private set; } = [];

    /// <summary>The first apply's <c>lab apply</c> span and every span of the cluster traces linked to it.</summary>
    public IReadOnlyList<Activity> FirstApplySpans { get; private set; } = [];

    public async ValueTask InitializeAsync()
    {
        _lab = await SimulatedLab.StartAsync(RepositoryRoot.Combine("config", "clusters.json"), SpeedFactor,
            [$"--Simulator:Host:GuestPassword={SshPassword}"], ("Lab:SshPassword", SshPassword));
        Plan = await Lab.PlanAsync();
        var since = await Lab.TimelineAsync();

        // Other tests apply labs at the same time in this process: the apply's own trace id tells its spans apart.
        var spans = new ConcurrentQueue<Activity>();
        using (var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == ProvisionerTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = spans.Enqueue,
        })
        {
            ActivitySource.AddActivityListener(listener);
            var trace = ActivityTraceId.CreateRandom();
            FirstApply = await Lab.ApplyAsync(trace);
            FirstApplySpans = SpansOf(trace, [.. spans]);
        }

        FirstApplySteps = await Lab.StepSummaryAsync(since);
        FirstApplyCalls = await Lab.ToolCallsAsync(since);
    }

    public Task<JsonNode> ApplyAsync() => Lab.ApplyAsync();

    public Task<IReadOnlyList<ModeledToolCall>> ToolCallsAsync() => Lab.ToolCallsAsync();

    public async ValueTask DisposeAsync()
    {
        if (_lab is not null)
        {
            await _lab.DisposeAsync();
        }
    }

    private static List<Activity> SpansOf(ActivityTraceId trace, IReadOnlyList<Activity> spans)
    {
        var applies = spans.Where(s => s.DisplayName == "lab apply" && s.TraceId == trace).Select(s => s.SpanId).ToHashSet();
        var clusterTraces = spans.Where(s => s.Links.Any(l => applies.Contains(l.Context.SpanId))).Select(s => s.TraceId).ToHashSet();
        return spans.Where(s => s.TraceId == trace || clusterTraces.Contains(s.TraceId)).ToList();
    }
}

/// <summary>The tests of the one applied original lab: they run one after another on it.</summary>
[CollectionDefinition(Name)]
public sealed class AppliedLabCollection : ICollectionFixture<AppliedLabFixture>
{
    public const string Name = "Applied lab";
}

public sealed record ModeledToolCall(string Tool, string Command, DateTimeOffset StartedAt, double ModeledSeconds, int ExitCode, DateTimeOffset ModeledStart, DateTimeOffset ModeledEnd)
{
    /// <summary>Calls that change the world: VM lifecycle, root scripts in a guest, helm installs. Reads are not.</summary>
    public bool Mutates => Tool switch
    {
        "tart" => Verb is "pull" or "clone" or "set" or "run" or "stop" or "delete",
        "helm" => Verb is "install" or "upgrade" or "uninstall" or "repo",
        "ssh" or "sshpass" => Command.Contains("sudo bash -s", StringComparison.Ordinal) || Command.Contains("token create", StringComparison.Ordinal),
        _ => true,
    };

    private string Verb => Command.Split(' ', 3).ElementAtOrDefault(1) ?? "";
}

/// <summary>The simulator's summary of a window of tool calls on its timeline of modeled tool time.</summary>
public sealed record ModeledStepSummary(int Steps, int Failed, DateTimeOffset? From, DateTimeOffset? To, double MakespanSeconds, double SequentialSeconds, double Parallelism);
