using LabNet.Hubble.FlowApi;
using LabNet.Simulator.Mesh;
using LabNet.Simulator.Tests.Cilium;

namespace LabNet.Simulator.Tests.Mesh;

public sealed class PeerAuthenticationTests
{
    [Fact]
    public void Strict_server_resets_a_client_without_sidecar_and_hubble_shows_the_tcp_reset_without_http()
    {
        var lab = new MeshLab(null, MeshLab.OriginalIstio);

        var response = lab.Get(MeshLab.BareCurl);

        Assert.Equal(PodHttpOutcome.ConnectionReset, response.Outcome);
        Assert.Contains(lab.Flows, f => f.L4?.TCP?.Flags is { RST: true });
        Assert.Contains(lab.Flows, f => f.L4?.TCP?.Flags is { SYN: true, ACK: true });
        Assert.DoesNotContain(lab.Flows, f => f.Type == FlowType.L7);
    }

    [Fact]
    public void Sidecar_to_sidecar_under_strict_is_mtls_and_the_app_sees_the_client_certificate()
    {
        var lab = new MeshLab(null, MeshLab.OriginalIstio);

        var response = lab.Get(MeshLab.Nginx);

        Assert.Equal(200, response.Status);
        Assert.Contains("\"X-Forwarded-Client-Cert\": \"By=spiffe://cluster.local/ns/demo/sa/default;", response.Body, StringComparison.Ordinal);
        Assert.Contains(response.Headers, h => h.Key == "server" && h.Value == "envoy");
        Assert.Contains(response.Headers, h => h.Key == "x-envoy-upstream-service-time");
    }

    [Fact]
    public void Permissive_accepts_plaintext_from_a_client_without_sidecar()
    {
        var lab = new MeshLab(null, null);
        lab.Api.Apply(YamlManifests.ParseOne("""
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata: {name: default, namespace: demo}
            spec: {mtls: {mode: PERMISSIVE}}
            """));

        Assert.Equal(200, lab.Get(MeshLab.BareCurl).Status);
    }

    [Fact]
    public void Port_level_disable_on_80_accepts_plaintext_under_a_strict_namespace()
    {
        var lab = new MeshLab(null, MeshLab.ShippedIstio);

        var response = lab.Get(MeshLab.BareCurl);

        Assert.Equal(200, response.Status);
        Assert.DoesNotContain("X-Forwarded-Client-Cert", response.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void A_workload_selector_policy_beats_the_namespace_wide_one()
    {
        var lab = new MeshLab(null, MeshLab.OriginalIstio);
        lab.Api.Apply(YamlManifests.ParseOne("""
            apiVersion: security.istio.io/v1
            kind: PeerAuthentication
            metadata: {name: httpbin-permissive, namespace: demo}
            spec:
              selector: {matchLabels: {app: httpbin}}
              mtls: {mode: PERMISSIVE}
            """));

        Assert.Equal(200, lab.Get(MeshLab.BareCurl).Status);
    }

    [Fact]
    public void Mesh_wide_strict_in_the_root_namespace_applies_when_the_namespace_says_nothing()
    {
        var lab = new MeshLab(null, null);
        lab.Api.Apply(YamlManifests.ParseOne("""
            apiVersion: security.istio.io/v1beta1
            kind: PeerAuthentication
            metadata: {name: default, namespace: istio-system}
            spec: {mtls: {mode: STRICT}}
            """));

        Assert.Equal(PodHttpOutcome.ConnectionReset, lab.Get(MeshLab.BareCurl).Outcome);
    }
}
