using LabNet.Hubble.FlowApi;
using LabNet.Simulator.Hubble.Flows;
using LabNet.Simulator.Hubble.Relay;
using LabNet.Simulator.Mesh;
using LabNet.Simulator.Tests.Cilium;
using LabNet.Simulator.Traffic;
using LabNet.Simulator.Workloads;

namespace LabNet.Simulator.Tests.Traffic;

public sealed class TrafficGeneratorTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);
    private readonly DemoLab _lab = DemoLab.With(DemoLab.ShippedPolicies);
    private readonly HubbleClusterFlows _hubble = new("dev", 100_000, Start, 1);
    private readonly TrafficSettingsStore _settings = new(new TrafficSettings());

    private TrafficGenerator NewGenerator(int seed = 5) => new("dev", _lab.Engine, _hubble, _settings, new UniformServiceRouter(), seed);

    private List<Flow> Flows() => _hubble.Rings.SelectMany(r => r.Snapshot().Events).Select(e => e.Flow).ToList();

    private static TrafficSettings Only(string scenario, double rate, Dictionary<string, VersionBehaviour>? versions = null) => new()
    {
        Rates = new Dictionary<string, double> { [scenario] = rate },
        Versions = versions ?? new TrafficSettings().Versions,
    };

    [Fact]
    public void Get_from_nginx_to_httpbin_reaches_both_versions_through_the_proxy_with_200()
    {
        Assert.Empty(_settings.TryUpdate(Only(TrafficScenarios.NginxToHttpbin, 100)));

        var connections = NewGenerator().Step(DemoTopology.Dev(), Start, TimeSpan.FromSeconds(1));

        Assert.Equal(100, connections);
        var responses = Flows().Where(f => f.L7?.Type == L7FlowType.Response).ToList();
        Assert.NotEmpty(responses);
        Assert.All(responses, r => Assert.Equal(200u, r.L7.Http.Code));
        Assert.Equal(["v1", "v2"], responses.Select(r => r.Source.Labels.Single(l => l.StartsWith("k8s:version=", StringComparison.Ordinal))[12..]).Distinct().Order());
        Assert.All(Flows(), f => Assert.True(f.Time.ToDateTimeOffset() <= Start));
    }

    [Theory]
    [InlineData(true, 20)]
    [InlineData(false, 0)]
    public void With_socket_load_balancing_inside_pods_tcp_from_a_sidecar_goes_around_it_and_strict_mtls_resets_it(bool socketLbInPods, int resets)
    {
        Assert.Empty(_settings.TryUpdate(Only(TrafficScenarios.NginxToRedis, 20)));
        var meshed = DemoTopology.Dev() is var dev ? dev with { Pods = [.. dev.Pods.Select(p => p with { HasSidecar = true })] } : null;
        var strict = new IstioConfigSnapshot(1, installed: true, IstioConfigSnapshot.DefaultRootNamespace, [], [],
            [new PeerAuthenticationConfig("demo", "default", null, MtlsMode.Strict, new Dictionary<int, MtlsMode>(), Start)], [], []);
        var mesh = new ClusterDataPlane("dev", () => strict, _lab.Engine, _hubble, _settings, new ClientSidecars());
        var generator = new TrafficGenerator("dev", _lab.Engine, _hubble, _settings, new UniformServiceRouter(), 5, mesh, socketLbInPods: () => socketLbInPods);

        Assert.Equal(20, generator.Step(meshed!, Start, TimeSpan.FromSeconds(1)));

        var toRedis = Flows().Where(f => f.L4?.TCP?.DestinationPort == 6379 || f.L4?.TCP?.SourcePort == 6379).ToList();
        Assert.NotEmpty(toRedis);
        Assert.Equal(resets, toRedis.Count(f => f.L4.TCP.Flags is { RST: true }));
    }

    [Fact]
    public void Negative_scenarios_are_dropped_by_policy()
    {
        Assert.Empty(_settings.TryUpdate(new TrafficSettings
        {
            Rates = new Dictionary<string, double> { [TrafficScenarios.RedisToHttpbin] = 3, [TrafficScenarios.UnlabeledToHttpbin] = 3, [TrafficScenarios.NginxPostToHttpbin] = 3 },
        }));

        NewGenerator().Step(DemoTopology.Dev(), Start, TimeSpan.FromSeconds(1));

        var flows = Flows();
        var drops = flows.Where(f => f.EventType.Type == HubbleEventTypes.Drop).ToList();
        Assert.Equal(6, drops.Count);
        Assert.All(drops, d => Assert.Equal(DropReason.PolicyDenied, d.DropReasonDesc));
        Assert.Equal(3, drops.Count(d => d.Source.PodName == DemoLab.Redis.Name));
        Assert.Equal(3, drops.Count(d => d.Source.PodName == DemoLab.Unlabeled.Name));
        var posts = flows.Where(f => f.L7?.Type == L7FlowType.Request && f.L7.Http.Method == "POST").ToList();
        Assert.Equal(3, posts.Count);
        Assert.All(posts, p => Assert.Equal(Verdict.Dropped, p.Verdict));
        Assert.All(flows.Where(f => f.L7?.Type == L7FlowType.Response), r => Assert.Equal(403u, r.L7.Http.Code));
    }

    [Fact]
    public void Dns_goes_to_kube_dns_over_udp_53_and_is_forwarded()
    {
        Assert.Empty(_settings.TryUpdate(Only(TrafficScenarios.Dns, 10)));

        NewGenerator().Step(DemoTopology.Dev(), Start, TimeSpan.FromSeconds(1));

        var flows = Flows();
        Assert.NotEmpty(flows);
        Assert.All(flows, f => Assert.Equal(Verdict.Forwarded, f.Verdict));
        Assert.All(flows.Where(f => f.IsReply == false), f => Assert.Equal(53u, f.L4.UDP.DestinationPort));
        Assert.All(flows.Where(f => f.IsReply == false), f => Assert.Equal("kube-dns", f.DestinationService.Name));
    }

    [Fact]
    public void Raising_a_versions_error_rate_turns_its_responses_into_503_from_the_next_step()
    {
        Assert.Empty(_settings.TryUpdate(Only(TrafficScenarios.NginxToHttpbin, 200)));
        var generator = NewGenerator();
        generator.Step(DemoTopology.Dev(), Start, TimeSpan.FromSeconds(1));
        var before = Flows().Count;

        var versions = new Dictionary<string, VersionBehaviour> { ["v1"] = new(0, 8, 40), ["v2"] = new(1.0, 10, 60) };
        Assert.Empty(_settings.TryUpdate(Only(TrafficScenarios.NginxToHttpbin, 200, versions)));
        generator.Step(DemoTopology.Dev(), Start.AddSeconds(1), TimeSpan.FromSeconds(1));

        var after = Flows().Skip(before).Where(f => f.L7?.Type == L7FlowType.Response).ToList();
        var v2 = after.Where(r => r.Source.Labels.Contains("k8s:version=v2")).ToList();
        var v1 = after.Where(r => r.Source.Labels.Contains("k8s:version=v1")).ToList();
        Assert.NotEmpty(v2);
        Assert.NotEmpty(v1);
        Assert.All(v2, r => Assert.Equal(503u, r.L7.Http.Code));
        Assert.All(v1, r => Assert.Equal(200u, r.L7.Http.Code));
    }

    [Fact]
    public void Latency_follows_the_configured_median()
    {
        var versions = new Dictionary<string, VersionBehaviour> { ["v1"] = new(0, 20, 80), ["v2"] = new(0, 20, 80) };
        Assert.Empty(_settings.TryUpdate(Only(TrafficScenarios.NginxToHttpbin, 2000, versions)));

        NewGenerator().Step(DemoTopology.Dev(), Start, TimeSpan.FromSeconds(1));

        // One response per proxy side per request; the median of 2000+ log-normal draws is well within 10% of 20 ms.
        var latencies = Flows().Where(f => f.L7?.Type == L7FlowType.Response).Select(f => f.L7.LatencyNs / 1e6).Order().ToList();
        var median = latencies[latencies.Count / 2];
        Assert.InRange(median, 18, 22);
    }

    [Fact]
    public void Same_seed_replays_the_same_flows()
    {
        var other = new HubbleClusterFlows("dev", 100_000, Start, 1);
        NewGenerator(9).Step(DemoTopology.Dev(), Start, TimeSpan.FromSeconds(2));
        new TrafficGenerator("dev", _lab.Engine, other, _settings, new UniformServiceRouter(), 9).Step(DemoTopology.Dev(), Start, TimeSpan.FromSeconds(2));

        var a = Flows();
        var b = other.Rings.SelectMany(r => r.Snapshot().Events).Select(e => e.Flow).ToList();

        Assert.Equal(a.Count, b.Count);
        Assert.Equal(a.Select(f => (f.Time, f.Uuid, f.IP.Source)), b.Select(f => (f.Time, f.Uuid, f.IP.Source)));
    }

    [Fact]
    public void Invalid_settings_are_refused_with_the_field_named_and_change_nothing()
    {
        var before = _settings.Current;

        var errors = _settings.TryUpdate(new TrafficSettings
        {
            Rates = new Dictionary<string, double> { ["nginx-to-mysql"] = 1, [TrafficScenarios.Dns] = -1 },
            Versions = new Dictionary<string, VersionBehaviour> { ["v2"] = new(1.5, 10, 5) },
        });

        Assert.Contains(errors, e => e.StartsWith("rates.nginx-to-mysql: unknown scenario", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("rates.dns:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("versions.v2.errorRate:", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("versions.v2.latencyP99Ms:", StringComparison.Ordinal));
        Assert.Same(before, _settings.Current);
    }
}
