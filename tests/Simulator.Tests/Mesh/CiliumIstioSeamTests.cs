using LabNet.Hubble.FlowApi;
using LabNet.Simulator.Mesh;
using LabNet.Simulator.Tests.Cilium;

namespace LabNet.Simulator.Tests.Mesh;

public sealed class CiliumIstioSeamTests
{
    [Fact]
    public void The_original_manifests_produce_the_seam_finding_with_policy_port_peer_authentication_and_fix()
    {
        var lab = new MeshLab(DemoLab.OriginalPolicies, MeshLab.OriginalIstio);

        var findings = SeamFindingAnalyzer.Analyze("dev", lab.Istio.Current, lab.Policy, lab.Topology);

        var finding = Assert.Single(findings);
        Assert.Equal(("demo/httpbin", 80, 80), (finding.Service, finding.ServicePort, finding.Port));
        Assert.Contains(finding.CiliumPolicies, p => p.Contains("demo/allow-nginx-egress", StringComparison.Ordinal));
        Assert.Contains(finding.CiliumPolicies, p => p.Contains("demo/allow-nginx-to-httpbin", StringComparison.Ordinal));
        Assert.Equal(("demo/demo-strict-mtls", "STRICT", "demo/httpbin-destination"), (finding.PeerAuthentication, finding.ServerMtlsMode, finding.DestinationRule));
        Assert.Equal(["demo/nginx-web"], finding.Clients);
        Assert.Contains("portLevelMtls 80: DISABLE", finding.Fix, StringComparison.Ordinal);
        Assert.Contains("tls.mode DISABLE for port 80 in DestinationRule demo/httpbin-destination", finding.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_manifests_produce_no_seam_finding()
    {
        var lab = new MeshLab(DemoLab.ShippedPolicies, MeshLab.ShippedIstio);

        Assert.Empty(SeamFindingAnalyzer.Analyze("dev", lab.Istio.Current, lab.Policy, lab.Topology));
    }

    [Fact]
    public void With_the_shipped_manifests_hubble_carries_http_code_and_latency_for_nginx_to_httpbin_v1_and_v2()
    {
        var lab = new MeshLab(DemoLab.ShippedPolicies, MeshLab.ShippedIstio);

        var responses = Enumerable.Range(0, 200).Select(_ => lab.Get(MeshLab.Nginx)).ToList();

        Assert.All(responses, r => Assert.Equal(200, r.Status));
        var http = lab.Flows.Where(f => f.L7?.Type == L7FlowType.Response).ToList();
        Assert.Equal(["v1", "v2"], http.Select(f => f.Source.Labels.Single(l => l.StartsWith("k8s:version=", StringComparison.Ordinal))[12..]).Distinct().Order());
        Assert.All(http, f => Assert.Equal(200u, f.L7.Http.Code));
        Assert.All(http, f => Assert.True(f.L7.LatencyNs > 0));
    }

    [Fact]
    public void With_the_original_manifests_every_request_fails_at_the_client_sidecar_and_hubble_has_no_http_fields()
    {
        var lab = new MeshLab(DemoLab.OriginalPolicies, MeshLab.OriginalIstio);

        var responses = Enumerable.Range(0, 50).Select(_ => lab.Get(MeshLab.Nginx)).ToList();

        // The TLS failures count as 5xx for outlier detection: the lone v2 pod is soon ejected, then its share is a local 503.
        Assert.Equal((503, EnvoyReplies.TlsWrongVersion), (responses[0].Status, responses[0].Body));
        Assert.All(responses, r => Assert.Contains(r.Body, new[] { EnvoyReplies.TlsWrongVersion, EnvoyReplies.NoHealthyUpstream }));
        Assert.All(responses, r => Assert.Equal(503, r.Status));
        Assert.NotEmpty(lab.Flows);
        Assert.DoesNotContain(lab.Flows, f => f.Type == FlowType.L7 || f.L7 is not null);
        Assert.Contains(lab.Flows, f => f.Verdict == Verdict.Redirected);
    }

    [Fact]
    public void With_the_shipped_manifests_a_post_from_nginx_gets_cilium_proxys_403()
    {
        var lab = new MeshLab(DemoLab.ShippedPolicies, MeshLab.ShippedIstio);

        var response = lab.Get(MeshLab.Nginx, "/post", method: "POST");

        Assert.Equal((403, "Access denied"), (response.Status, response.Body));
        Assert.Contains(lab.Flows, f => f.L7?.Type == L7FlowType.Request && f.Verdict == Verdict.Dropped);
    }
}
