using System.Text.Json.Nodes;
using LabNet.Simulator.Mesh;
using LabNet.Simulator.Tests.Cilium;

namespace LabNet.Simulator.Tests.Mesh;

public sealed class CanaryRoutingTests
{
    private static readonly Dictionary<string, string> CanaryHeader = new() { ["x-canary"] = "true" };

    [Fact]
    public void Weighted_route_from_a_sidecar_splits_1000_requests_80_20_within_3_points()
    {
        var lab = new MeshLab(null, MeshLab.ShippedIstio);

        var served = Enumerable.Range(0, 1000).Select(_ => lab.Get(MeshLab.Nginx)).ToList();

        Assert.All(served, r => Assert.Equal(200, r.Status));
        var v2 = served.Count(r => r.ServedBy!.Label("version") == "v2");
        Assert.InRange(v2, 170, 230);
    }

    [Fact]
    public void X_canary_header_sends_every_request_to_v2()
    {
        var lab = new MeshLab(null, MeshLab.ShippedIstio);

        var served = Enumerable.Range(0, 200).Select(_ => lab.Get(MeshLab.Nginx, headers: CanaryHeader)).ToList();

        Assert.All(served, r => Assert.Equal("v2", r.ServedBy!.Label("version")));
    }

    [Fact]
    public void Changing_the_virtual_service_weights_takes_effect_for_the_next_request()
    {
        var lab = new MeshLab(null, MeshLab.ShippedIstio);
        Assert.Contains(Enumerable.Range(0, 50).Select(_ => lab.Get(MeshLab.Nginx)), r => r.ServedBy!.Label("version") == "v1");

        var vs = YamlManifests.LoadDirectory(MeshLab.ShippedIstio).Single(o => o["kind"]!.GetValue<string>() == "VirtualService" && o["metadata"]!["name"]!.GetValue<string>() == "httpbin-routing");
        var split = vs["spec"]!["http"]![1]!["route"]!.AsArray();
        split[0]!["weight"] = 0;
        split[1]!["weight"] = 100;
        lab.Api.Apply(vs);

        Assert.All(Enumerable.Range(0, 100).Select(_ => lab.Get(MeshLab.Nginx)), r => Assert.Equal("v2", r.ServedBy!.Label("version")));
    }

    [Fact]
    public void A_client_without_sidecar_gets_uniform_load_balancing_over_every_httpbin_pod()
    {
        var lab = new MeshLab(null, MeshLab.ShippedIstio);

        var served = Enumerable.Range(0, 1000).Select(_ => lab.Get(MeshLab.BareCurl)).ToList();

        // 1/3 each (v2 would get 20 % through the VirtualService); 5 sigma is about 75 requests.
        Assert.All(served, r => Assert.Equal(200, r.Status));
        Assert.All(new[] { MeshLab.HttpbinV1a, MeshLab.HttpbinV1b, MeshLab.HttpbinV2 }, pod => Assert.InRange(served.Count(r => r.ServedBy == pod), 258, 408));
    }

    [Fact]
    public void Without_istiod_the_virtual_service_has_no_effect()
    {
        var lab = new MeshLab(null, MeshLab.ShippedIstio, istioRunning: false);

        var served = Enumerable.Range(0, 300).Select(_ => lab.Get(MeshLab.Nginx, headers: CanaryHeader)).ToList();

        Assert.Contains(served, r => r.ServedBy!.Label("version") == "v1");
        Assert.DoesNotContain(served, r => r.Headers.Any(h => h.Key == "server" && h.Value == "envoy"));
    }

    [Fact]
    public void Regex_header_match_must_match_the_whole_value()
    {
        var lab = new MeshLab(null, null);
        lab.Api.Apply(YamlManifests.ParseOne("""
            apiVersion: networking.istio.io/v1
            kind: VirtualService
            metadata: {name: httpbin, namespace: demo}
            spec:
              hosts: [httpbin.demo.svc.cluster.local]
              http:
                - match: [{headers: {x-user: {regex: "tester"}}}]
                  route: [{destination: {host: httpbin, subset: v2}}]
                - route: [{destination: {host: httpbin, subset: v1}}]
            """));
        lab.Api.Apply(YamlManifests.ParseOne("""
            apiVersion: networking.istio.io/v1
            kind: DestinationRule
            metadata: {name: httpbin, namespace: demo}
            spec:
              host: httpbin
              subsets: [{name: v1, labels: {version: v1}}, {name: v2, labels: {version: v2}}]
            """));

        Assert.Equal("v2", lab.Get(MeshLab.Nginx, headers: new Dictionary<string, string> { ["x-user"] = "tester" }).ServedBy!.Label("version"));
        Assert.Equal("v1", lab.Get(MeshLab.Nginx, headers: new Dictionary<string, string> { ["x-user"] = "tester2" }).ServedBy!.Label("version"));
    }

    [Fact]
    public void A_route_to_a_subset_without_pods_answers_503_no_healthy_upstream_from_the_client_sidecar()
    {
        var lab = new MeshLab(null, MeshLab.ShippedIstio);
        lab.Pods.Remove(MeshLab.HttpbinV2);

        var response = lab.Get(MeshLab.Nginx, headers: CanaryHeader);

        Assert.Equal(503, response.Status);
        Assert.Equal(EnvoyReplies.NoHealthyUpstream, response.Body);
        Assert.True(response.LocalReply);
        Assert.Empty(lab.Flows);
    }
}
