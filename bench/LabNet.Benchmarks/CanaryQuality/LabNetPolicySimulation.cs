using LabNet.Canary;
using LabNet.CanaryController.Analysis;
using LabNet.CanaryController.Mesh;
using LabNet.CanaryController.Resources;
using LabNet.CanaryController.Rollout;
using LabNet.CanaryController.Traffic;

namespace LabNet.Benchmarks.CanaryQuality;

/// <summary>
/// Drives the real <see cref="CanaryStateMachine"/> as the controller loop does: every <c>analysis.interval</c>, at .9 s
/// past a second, it asks the FlowCollector's summary for the traffic since the last window through the real client,
/// ticks, and applies the weights written to the simulated VirtualService (read back on the next tick) and to the
/// traffic split. The spec is the shipped one (<see cref="HttpbinMesh.Spec"/>) with the header probe off, so that both
/// policies start weighted traffic at the same moment.
/// </summary>
public sealed class LabNetPolicySimulation(CanarySpec? spec = null) : ICanaryPolicySimulation
{
    private readonly CanarySpec spec = spec ?? HttpbinMesh.Spec with { HeaderProbe = new HeaderProbeSpec { Enabled = false } };

    public string Name => "LabNet (mSPRT)";

    public async Task<RunOutcome> RunAsync(TrafficScenario scenario, int seed, FlowCollectorHost host)
    {
        var start = host.NextRun();
        var clock = host.Clock;
        var machine = new CanaryStateMachine(clock);
        var traffic = new SimulatedTraffic(scenario, seed, host.Recorder);
        var mesh = HttpbinMesh.Seed;
        var interval = (int)spec.Analysis.Interval.TotalSeconds;
        var target = spec.Target;

        // Ticks fall .9 s past a second, like the controller's; each second's requests are recorded mid-second.
        clock.AdjustTime(start - TimeSpan.FromSeconds(0.1));
        var first = machine.Tick(new CanaryTickInput(spec, new CanaryStatus(), mesh, null));
        var status = first.Status;
        mesh = Apply(first, mesh, traffic, 0);

        var horizon = (int)scenario.Horizon.TotalSeconds;
        for (var second = 0; second < horizon; second++)
        {
            clock.AdjustTime(start + TimeSpan.FromSeconds(second + 0.5));
            traffic.SimulateSecond(second);
            if ((second + 1) % interval != 0)
            {
                continue;
            }

            clock.AdjustTime(start + TimeSpan.FromSeconds(second + 0.9));
            var query = new TrafficQuery(target.Namespace, target.Service, target.StableSubset, target.CanarySubset, status.ObservedUntil!.Value, spec.Analysis.Window);
            var observation = await host.Client.GetTrafficAsync(query, CancellationToken.None);
            var result = machine.Tick(new CanaryTickInput(spec, status, mesh, observation));
            status = result.Status;
            mesh = Apply(result, mesh, traffic, second + 1);

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

    private static MeshSnapshot Apply(CanaryTickResult result, MeshSnapshot mesh, SimulatedTraffic traffic, int second)
    {
        foreach (var write in result.Actions.OfType<SetRouteWeights>())
        {
            mesh = HttpbinMesh.WithCanaryWeight(write.Weights.CanaryWeight);
            traffic.WriteWeight(second, write.Weights.CanaryWeight);
        }

        return mesh;
    }
}
