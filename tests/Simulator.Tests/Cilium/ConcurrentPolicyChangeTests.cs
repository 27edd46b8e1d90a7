using LabNet.Simulator.Cilium.Engine;
using LabNet.Simulator.Cilium.Identity;
using LabNet.Simulator.Cilium.Policy;

namespace LabNet.Simulator.Tests.Cilium;

/// <summary>Verdicts keep flowing, consistent with some policy revision, while policies and identities change.</summary>
public sealed class ConcurrentPolicyChangeTests
{
    [Fact]
    public async Task Verdicts_during_policy_changes_always_match_a_whole_revision()
    {
        var engine = new CiliumPolicyEngine(new CiliumPolicyEngineOptions { ClusterName = "dev" });
        var lockdown = YamlManifests.ParseOne("""
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata:
              name: lockdown
              namespace: demo
            spec:
              endpointSelector: {}
              ingress:
                - {}
              egress:
                - {}
            """);
        using var stop = new CancellationTokenSource();
        var inconsistent = 0;

        var readers = Enumerable.Range(0, 3).Select(worker => Task.Run(() =>
        {
            var iteration = 0;
            while (!stop.IsCancellationRequested)
            {
                // New pods keep appearing, so identities change under the readers too.
                var client = DemoLab.Pod("demo", $"client-{worker}-{iteration % 50}", "10.20.1.1", ("app", "client"), ("shard", $"{worker}-{iteration % 50}"));
                var verdict = engine.Decide(client, DemoLab.Redis, IpProtocol.Tcp, 6379);

                // Under lockdown both sides drop (egress first); without it both allow. Anything else mixes revisions.
                var consistent = verdict.IsForwarded
                    ? !verdict.Egress.Enforced && !verdict.Ingress!.Enforced
                    : verdict.Egress.Enforced && verdict.Ingress is null;
                if (!consistent)
                {
                    Interlocked.Increment(ref inconsistent);
                }

                iteration++;
            }
        })).ToArray();

        for (var i = 0; i < 200; i++)
        {
            engine.Apply(lockdown);
            Assert.True(engine.Delete(PolicyKind.CiliumNetworkPolicy, "demo", "lockdown"));
        }

        await stop.CancelAsync();
        await Task.WhenAll(readers).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(0, inconsistent);
        Assert.Equal(400UL, engine.Revision);
        VerdictAssert.Forwarded(engine.Decide(DemoLab.Nginx, DemoLab.Redis, IpProtocol.Tcp, 6379));
    }
}
