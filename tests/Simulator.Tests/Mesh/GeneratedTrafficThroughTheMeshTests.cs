using LabNet.Hubble.FlowApi;
using LabNet.Simulator.Tests.Cilium;
using LabNet.Simulator.Traffic;
using LabNet.Simulator.Workloads;

namespace LabNet.Simulator.Tests.Mesh;

/// <summary>The traffic generator's HTTP scenarios take the mesh's path: VirtualService weights, header route, outlier detection.</summary>
public sealed class GeneratedTrafficThroughTheMeshTests
{
    private static TrafficSettings NginxToHttpbin(double rate, double canaryShare = 0, Dictionary<string, VersionBehaviour>? pods = null) => new()
    {
        Rates = new Dictionary<string, double> { [TrafficScenarios.NginxToHttpbin] = rate },
        CanaryHeaderShare = canaryShare,
        Pods = pods ?? [],
    };

    private static (TrafficGenerator Generator, TrafficSettingsStore Settings) Generator(MeshLab lab, TrafficSettings settings)
    {
        lab.Settings = settings;
        return (new TrafficGenerator("dev", lab.Policy, lab.Hubble, lab.SettingsStore, new UniformServiceRouter(), 77, lab.DataPlane), lab.SettingsStore);
    }

    private static List<Flow> Responses(MeshLab lab) =>
        lab.Hubble.Rings.SelectMany(r => r.Snapshot().Events).Select(e => e.Flow)
            .Where(f => f.L7?.Type == L7FlowType.Response && f.TrafficDirection == TrafficDirection.Egress).ToList();

    private static string VersionOf(Flow response) => response.Source.Labels.Single(l => l.StartsWith("k8s:version=", StringComparison.Ordinal))[12..];

    [Fact]
    public void Generated_requests_follow_the_virtual_services_80_20_split()
    {
        var lab = new MeshLab(DemoLab.ShippedPolicies, MeshLab.ShippedIstio);
        var (generator, _) = Generator(lab, NginxToHttpbin(1000));

        generator.Step(lab.Topology, MeshLab.Start, TimeSpan.FromSeconds(1));

        var responses = Responses(lab);
        Assert.Equal(1000, responses.Count);
        Assert.InRange(responses.Count(r => VersionOf(r) == "v2"), 170, 230);
    }

    [Fact]
    public void Generated_requests_with_the_canary_header_all_reach_v2()
    {
        var lab = new MeshLab(DemoLab.ShippedPolicies, MeshLab.ShippedIstio);
        var (generator, _) = Generator(lab, NginxToHttpbin(300, canaryShare: 1));

        generator.Step(lab.Topology, MeshLab.Start, TimeSpan.FromSeconds(1));

        Assert.All(Responses(lab), r => Assert.Equal("v2", VersionOf(r)));
    }

    [Fact]
    public void A_failing_v2_pod_is_ejected_so_hubble_sees_only_its_first_errors_within_the_ejection()
    {
        var lab = new MeshLab(DemoLab.ShippedPolicies, MeshLab.ShippedIstio);
        var (generator, _) = Generator(lab, NginxToHttpbin(500, pods: new() { [MeshLab.HttpbinV2.Name] = new VersionBehaviour(1.0, 10, 60) }));

        generator.Step(lab.Topology, MeshLab.Start + TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(2));

        // One client sidecar (one nginx pod), consecutive5xxErrors 3: v2 is out after 3 errors for 30 s.
        var responses = Responses(lab);
        Assert.Equal(3, responses.Count(r => VersionOf(r) == "v2"));
        Assert.All(responses.Where(r => VersionOf(r) == "v2"), r => Assert.Equal(503u, r.L7.Http.Code));
        Assert.True(responses.Count(r => VersionOf(r) == "v1") > 700);
    }

    [Theory]
    [InlineData(MeshLab.OriginalIstio, true)]
    [InlineData(MeshLab.ShippedIstio, false)]
    public void NodePort_clients_of_nginx_are_reset_under_strict_and_served_under_the_shipped_permissive_port(string istio, bool reset)
    {
        var lab = new MeshLab(DemoLab.ShippedPolicies, istio);
        var (generator, _) = Generator(lab, new TrafficSettings { Rates = new() { [TrafficScenarios.ExternalToNginx] = 50 } });

        generator.Step(lab.Topology, MeshLab.Start, TimeSpan.FromSeconds(1));

        var flows = lab.Hubble.Rings.SelectMany(r => r.Snapshot().Events).Select(e => e.Flow).Where(f => f.Destination?.PodName == MeshLab.Nginx.Name || f.Source?.PodName == MeshLab.Nginx.Name).ToList();
        Assert.Equal(reset ? 50 : 0, flows.Count(f => f.L4?.TCP?.Flags is { RST: true }));
        Assert.Equal(reset ? 0 : 100, flows.Count(f => f.L4?.TCP?.Flags is { FIN: true }));
        Assert.Contains(flows, f => f.Source?.Labels.Contains("reserved:world") == true);
    }
}
