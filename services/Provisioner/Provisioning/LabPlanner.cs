using LabNet.Provisioner.Spec;
using Microsoft.Extensions.Options;

namespace LabNet.Provisioner.Provisioning;

/// <summary>
/// What an apply would do, from what the world reports now, without changing anything: each mutating step is
/// asked whether it is done; read-only steps run (they find the addresses later checks need). After the first step
/// that would run, the rest of its cluster is "will run": it depends on a world that does not exist yet.
/// </summary>
public sealed class LabPlanner(
    LabSpecSource specSource,
    ClusterPlanBuilder planBuilder,
    ProvisioningToolsFactory toolsFactory,
    IOptions<LabOptions> options)
{
    private static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(20);

    public async Task<LabPlanResult> PlanAsync(CancellationToken cancellationToken)
    {
        var specResult = await specSource.ReadAsync(cancellationToken);
        if (!specResult.IsValid)
        {
            return new LabPlanResult(specResult.Problems, [], TimeSpan.Zero, TimeSpan.Zero);
        }

        var spec = specResult.Spec!;
        var password = SshPasswords.For(options.Value, spec);
        var clusters = await Task.WhenAll(spec.Clusters.Select(cluster =>
            PlanClusterAsync(planBuilder.Build(spec, cluster), new ClusterContext(spec, cluster, password, toolsFactory.Create()), cancellationToken)));

        var budget = new HostCpuBudget(options.Value.Host.ProvisioningVcpus);
        var expected = budget.EstimateMakespan(clusters.Select(c => (c.Cpus, c.ExpectedDuration)));
        var sequential = clusters.Aggregate(TimeSpan.Zero, (total, c) => total + c.SequentialDuration);
        return new LabPlanResult([], clusters, expected, sequential);
    }

    private static async Task<ClusterPlanView> PlanClusterAsync(ClusterPlan plan, ClusterContext context, CancellationToken cancellationToken)
    {
        var steps = new List<PlannedStep>();
        var blocked = false;

        foreach (var phase in plan.Phases)
        {
            var phaseBlocked = false;
            foreach (var sequence in phase.Sequences)
            {
                var sequenceBlocked = blocked;
                foreach (var step in sequence.Steps)
                {
                    if (sequenceBlocked)
                    {
                        steps.Add(PlannedStep.From(step, phase.Name, StepPlan.WillRun, null));
                        continue;
                    }

                    var (plan1, note) = await CheckAsync(step, context, cancellationToken);
                    steps.Add(PlannedStep.From(step, phase.Name, plan1, note));
                    sequenceBlocked = plan1 is StepPlan.WillRun or StepPlan.Failing;
                }

                phaseBlocked |= sequenceBlocked;
            }

            blocked |= phaseBlocked;
        }

        // Only what will run counts towards the estimate; read-only checks run again on apply too.
        var remaining = new ClusterPlan(plan.Cluster, plan.Phases
            .Select(phase => phase with
            {
                Sequences = phase.Sequences
                    .Select(s => s with { Steps = s.Steps.Where(step => steps.First(x => x.Step == step.Id.ToString()).Plan is not StepPlan.Done).ToList() })
                    .ToList(),
            }).ToList());

        return new ClusterPlanView(
            plan.Cluster.Name,
            plan.Cluster.Nodes.Sum(n => n.Cpu),
            steps.Count(s => s.Plan is StepPlan.WillRun or StepPlan.Failing && s.ChangesWorld),
            remaining.ExpectedDuration,
            remaining.SequentialDuration,
            steps);
    }

    private static async Task<(StepPlan Plan, string? Note)> CheckAsync(IProvisioningStep step, ClusterContext context, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(CheckTimeout);
        try
        {
            if (step.ChangesWorld)
            {
                return await step.IsDoneAsync(context, timeout.Token) ? (StepPlan.Done, null) : (StepPlan.WillRun, null);
            }

            await step.RunAsync(context, timeout.Token);
            return (StepPlan.Checked, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (step.ChangesWorld ? StepPlan.WillRun : StepPlan.Failing, $"no answer within {CheckTimeout.TotalSeconds:0} s");
        }
        catch (Exception ex) when (ex is PermanentStepException or TransientStepException or ToolFailedException)
        {
            return (step.ChangesWorld ? StepPlan.WillRun : StepPlan.Failing, ex.Message);
        }
    }
}

public enum StepPlan
{
    /// <summary>The world already is as the step would leave it: apply skips it.</summary>
    Done,

    /// <summary>Apply would run it.</summary>
    WillRun,

    /// <summary>A read-only check that passes now.</summary>
    Checked,

    /// <summary>A read-only check that fails now; apply would fail or wait here.</summary>
    Failing,
}

public sealed record PlannedStep(string Step, string Phase, string Description, StepPlan Plan, bool ChangesWorld, double ExpectedSeconds, string? Note)
{
    public static PlannedStep From(IProvisioningStep step, string phase, StepPlan plan, string? note) =>
        new(step.Id.ToString(), phase, step.Description, plan, step.ChangesWorld, step.ExpectedDuration.TotalSeconds, note);
}

public sealed record ClusterPlanView(string Cluster, int Cpus, int ChangesToMake, TimeSpan ExpectedDuration, TimeSpan SequentialDuration, IReadOnlyList<PlannedStep> Steps);

/// <summary>The plan of the whole lab, with its modelled duration (clusters in parallel within the CPU budget) and the sequential equivalent.</summary>
public sealed record LabPlanResult(IReadOnlyList<SpecProblem> Problems, IReadOnlyList<ClusterPlanView> Clusters, TimeSpan ExpectedDuration, TimeSpan SequentialDuration)
{
    /// <summary>The plan operation this came from.</summary>
    public string? OperationId { get; init; }
}
