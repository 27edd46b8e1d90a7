using LabNet.Simulator.Cilium;
using LabNet.Simulator.Cilium.Engine;
using LabNet.Simulator.Cilium.Policy;
using LabNet.Simulator.Helm.Charts;
using LabNet.Simulator.Kubernetes;
using Microsoft.Extensions.Logging.Abstractions;

namespace LabNet.Simulator.Tests.Cilium;

/// <summary>Every cluster that runs Cilium enforces its own policies, whoever sends traffic there.</summary>
public sealed class CiliumAgentsTests : IAsyncLifetime
{
    private readonly TestRegistry _registry = new();
    private readonly CiliumPolicyEngines _engines = new();
    private readonly CiliumAgents _agents;

    private const string RedisOnlyFromFrontend = """
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata:
          name: redis-only-from-frontend
          namespace: demo
        spec:
          endpointSelector:
            matchLabels:
              app: redis
          ingress:
            - fromEndpoints:
                - matchLabels:
                    app: frontend
        """;

    public CiliumAgentsTests() => _agents = new CiliumAgents(_registry, _engines, NullLoggerFactory.Instance);

    public ValueTask InitializeAsync() => new(_agents.StartAsync(CancellationToken.None));

    public ValueTask DisposeAsync() => new(_agents.StopAsync(CancellationToken.None));

    private static void InstallCilium(IClusterApi api)
    {
        foreach (var crd in CiliumChart.Crds)
        {
            api.Apply(CustomResourceDefinitions.Build(crd));
        }
    }

    [Fact]
    public void A_cluster_enforces_nothing_until_cilium_runs_there_then_what_its_api_holds_and_every_change()
    {
        var api = new InMemoryClusterApi();
        _registry.Add(api);
        api.Apply(YamlManifests.ParseOne(RedisOnlyFromFrontend));
        Assert.Null(_engines.Find("dev"));

        InstallCilium(api);

        var engine = Assert.IsType<CiliumPolicyEngine>(_engines.Find("dev"));
        VerdictAssert.Dropped(engine.Decide(DemoLab.Nginx, DemoLab.Redis, IpProtocol.Tcp, 6379), TrafficDirection.Ingress);
        Assert.NotNull(_agents.SyncOf("dev"));

        api.Delete("cilium.io/v2", "CiliumNetworkPolicy", "demo", "redis-only-from-frontend");
        Assert.True(engine.Decide(DemoLab.Nginx, DemoLab.Redis, IpProtocol.Tcp, 6379).IsForwarded);
    }

    [Fact]
    public void A_cluster_that_already_runs_cilium_is_enforced_from_the_start_and_takes_its_engine_along_when_removed()
    {
        var api = new InMemoryClusterApi();
        InstallCilium(api);
        api.Apply(YamlManifests.ParseOne(RedisOnlyFromFrontend));

        _registry.Add(api);

        VerdictAssert.Dropped(_engines.Find("dev")!.Decide(DemoLab.Nginx, DemoLab.Redis, IpProtocol.Tcp, 6379), TrafficDirection.Ingress);
        _registry.Remove(api);
        Assert.Null(_engines.Find("dev"));
        Assert.Null(_agents.SyncOf("dev"));
    }

    /// <summary>Clusters added and removed by the test; watchers hear of them at once.</summary>
    private sealed class TestRegistry : IClusterApiRegistry
    {
        private readonly List<IClusterApi> _clusters = [];
        private readonly List<(Action<IClusterApi> Created, Action<IClusterApi> Removed)> _watchers = [];

        public IReadOnlyList<IClusterApi> Clusters => _clusters;

        public void Add(IClusterApi api)
        {
            _clusters.Add(api);
            _watchers.ForEach(w => w.Created(api));
        }

        public void Remove(IClusterApi api)
        {
            _clusters.Remove(api);
            _watchers.ForEach(w => w.Removed(api));
        }

        public IClusterApi Create(ClusterBootstrap bootstrap) => throw new InvalidOperationException("The test adds its clusters.");

        public IClusterApi? Find(string clusterName) => _clusters.FirstOrDefault(c => c.Bootstrap.Name == clusterName);

        public bool Remove(string clusterName) => throw new InvalidOperationException("The test removes its clusters.");

        public IDisposable Watch(Action<IClusterApi> created, Action<IClusterApi> removed)
        {
            var watcher = (created, removed);
            _watchers.Add(watcher);
            _clusters.ForEach(created);
            return new Unwatch(() => _watchers.Remove(watcher));
        }

        private sealed class Unwatch(Action dispose) : IDisposable
        {
            public void Dispose() => dispose();
        }
    }
}
