using LabNet.Simulator.Cilium;
using LabNet.Simulator.Cilium.Engine;
using LabNet.Simulator.Cilium.Policy;
using Microsoft.Extensions.Logging.Abstractions;

namespace LabNet.Simulator.Tests.Cilium;

/// <summary>The agent-side watcher: policies written to the cluster's API are what the engine enforces.</summary>
public sealed class CiliumPolicySyncTests
{
    private readonly InMemoryClusterApi _api = new();
    private readonly CiliumPolicyEngine _engine = new CiliumPolicyEngines().GetOrCreate("dev");

    private const string DenyAllIngress = """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata:
          name: lockdown
          namespace: demo
        spec:
          endpointSelector: {}
          ingress:
            - {}
        """;

    private CiliumPolicySync StartSync()
    {
        var sync = new CiliumPolicySync(_api, _engine, NullLogger<CiliumPolicySync>.Instance);
        sync.Start();
        return sync;
    }

    [Fact]
    public void Imports_what_exists_and_follows_additions_and_deletions()
    {
        foreach (var policy in YamlManifests.LoadDirectory(DemoLab.ShippedPolicies))
        {
            _api.Apply(policy);
        }

        using var sync = StartSync();
        Assert.Equal(12, _engine.Policies.Count);
        VerdictAssert.Dropped(_engine.Decide(DemoLab.Redis, DemoLab.HttpbinV1, IpProtocol.Tcp, 80), TrafficDirection.Egress);

        _api.Apply(YamlManifests.ParseOne("""
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata:
              name: allow-redis-to-httpbin
              namespace: demo
            spec:
              endpointSelector:
                matchLabels:
                  app: redis
              egress:
                - toEndpoints:
                    - matchLabels:
                        app: httpbin
            """));
        Assert.True(_engine.Decide(DemoLab.Redis, DemoLab.HttpbinV1, IpProtocol.Tcp, 80).Egress.Allowed);

        Assert.True(_api.Delete("cilium.io/v2", "CiliumNetworkPolicy", "demo", "allow-redis-to-httpbin"));
        VerdictAssert.Dropped(_engine.Decide(DemoLab.Redis, DemoLab.HttpbinV1, IpProtocol.Tcp, 80), TrafficDirection.Egress);
        Assert.Empty(sync.ImportErrors);
    }

    [Fact]
    public void An_invalid_update_is_reported_and_the_previous_version_stays_in_force()
    {
        using var sync = StartSync();
        _api.Apply(YamlManifests.ParseOne(DenyAllIngress));
        VerdictAssert.Dropped(_engine.Decide(DemoLab.Nginx, DemoLab.Redis, IpProtocol.Tcp, 6379), TrafficDirection.Ingress);

        _api.Apply(YamlManifests.ParseOne(DenyAllIngress.Replace("- {}", "- fromEntities: [everything]", StringComparison.Ordinal)));

        var error = Assert.Single(sync.ImportErrors);
        Assert.Equal(new PolicyKey(PolicyKind.CiliumNetworkPolicy, "demo", "lockdown"), error.Key);
        Assert.Contains("spec.ingress[0].fromEntities[0]: \"everything\" is not an entity", error.Value);
        VerdictAssert.Dropped(_engine.Decide(DemoLab.Nginx, DemoLab.Redis, IpProtocol.Tcp, 6379), TrafficDirection.Ingress);

        _api.Apply(YamlManifests.ParseOne(DenyAllIngress.Replace("- {}", "- fromEntities: [cluster]", StringComparison.Ordinal)));
        Assert.Empty(sync.ImportErrors);
        VerdictAssert.Forwarded(_engine.Decide(DemoLab.Nginx, DemoLab.Redis, IpProtocol.Tcp, 6379));
    }

    [Fact]
    public void Other_kinds_are_ignored_and_disposing_stops_following()
    {
        var sync = StartSync();
        _api.Apply(YamlManifests.ParseOne("""
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: not-a-policy
              namespace: demo
            data:
              key: value
            """));
        Assert.Empty(_engine.Policies);
        Assert.Empty(sync.ImportErrors);

        sync.Dispose();
        _api.Apply(YamlManifests.ParseOne(DenyAllIngress));
        Assert.Empty(_engine.Policies);
    }
}
