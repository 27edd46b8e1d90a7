using LabNet.CanaryController.Analysis;
using LabNet.CanaryController.Mesh;
using LabNet.CanaryController.Resources;
using LabNet.CanaryController.Rollout;
using Microsoft.Extensions.Time.Testing;

namespace LabNet.Benchmarks.CanaryQuality;

/// <summary>
/// Drives the real <see cref="CanaryStateMachine"/> with a fake clock: each tick gets the traffic since the previous one,
/// its weight writes are applied to the simulated VirtualService (read back on the next tick) and to the traffic split.
/// The header probe is off so that both policies start weighted traffic at the same moment.
/// </summary>
public sealed class LabNetPolicySimulation(CanarySpec? spec = null) : ICanaryPolicySimulation
{
    private readonly CanarySpec spec = spec ?? HttpbinMesh.Spec with { HeaderProbe = new HeaderProbeSpec { Enabled = false } };

    public string Name => "LabNet (mSPRT)";

    public RunOutcome Run(TrafficScenario scenario, int seed)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var machine = new CanaryStateMachine(clock);
        var traffic = new SimulatedTraffic(scenario, seed);
        var mesh = HttpbinMesh.Seed;
        var status = new CanaryStatus();
        var interval = (int)spec.Analysis.Interval.TotalSeconds;

        var windowStart = clock.GetUtcNow();
        var first = machine.Tick(new CanaryTickInput(spec, status, mesh, null));
        (status, mesh) = Apply(first, mesh, traffic, 0);

        var horizon = (int)scenario.Horizon.TotalSeconds;
        for (var second = 0; second < horizon; second++)
        {
            traffic.SimulateSecond(second);
            clock.Advance(TimeSpan.FromSeconds(1));
            if ((second + 1) % interval != 0)
            {
                continue;
            }

            var (stable, canary) = traffic.TakeWindow();
            var now = clock.GetUtcNow();
            var result = machine.Tick(new CanaryTickInput(spec, status, mesh, new TrafficSummary(windowStart, now, stable, canary)));
            windowStart = now;
            (status, mesh) = Apply(result, mesh, traffic, second + 1);

            var elapsed = second + 1 - (traffic.FaultSecond ?? second + 1);
            switch (result.Decision?.Outcome)
            {
                case DecisionOutcome.RollBack:
                    return new RunOutcome(RunVerdict.RolledBack, elapsed, result.Decision.Reason);
                case DecisionOutcome.Promote:
                    return new RunOutcome(RunVerdict.Promoted, elapsed, result.Decision.Reason);
                case DecisionOutcome.FailSafe:
                    return new RunOutcome(RunVerdict.FailedSafe, elapsed, result.Decision.Reason);
            }
        }

        return new RunOutcome(RunVerdict.Undecided, horizon, status.LastDecision?.Reason ?? "");
    }

    private static (CanaryStatus, MeshSnapshot) Apply(CanaryTickResult result, MeshSnapshot mesh, SimulatedTraffic traffic, int second)
    {
        foreach (var write in result.Actions.OfType<SetRouteWeights>())
        {
            mesh = HttpbinMesh.WithCanaryWeight(write.Weights.CanaryWeight);
            traffic.WriteWeight(second, write.Weights.CanaryWeight);
        }

        return (result.Status, mesh);
    }
}
