using System.Net;
using LabNet.Simulator.Cilium.Engine;
using LabNet.Simulator.Cilium.Identity;

namespace LabNet.Simulator.Tests.Cilium;

/// <summary>Identities: what Hubble shows for each end of a flow.</summary>
public sealed class SecurityIdentityTests
{
    private readonly CiliumPolicyEngine _engine = new(new CiliumPolicyEngineOptions { ClusterName = "dev" });

    [Fact]
    public void Pods_with_the_same_labels_share_one_identity_and_churn_labels_are_ignored()
    {
        var a = DemoLab.Pod("demo", "nginx-web-aaa", "10.20.1.10", ("app", "nginx-web"), ("pod-template-hash", "111"));
        var b = DemoLab.Pod("demo", "nginx-web-bbb", "10.20.1.11", ("app", "nginx-web"), ("pod-template-hash", "222"));

        var identity = _engine.IdentityOf(a);
        Assert.Same(identity, _engine.IdentityOf(b));
        Assert.True(identity.Id >= 256);
        Assert.Equal(
            [
                "k8s:app=nginx-web",
                "k8s:io.cilium.k8s.namespace.labels.kubernetes.io/metadata.name=demo",
                "k8s:io.cilium.k8s.policy.cluster=dev",
                "k8s:io.cilium.k8s.policy.serviceaccount=default",
                "k8s:io.kubernetes.pod.namespace=demo",
            ],
            identity.Labels.Formatted);
    }

    [Fact]
    public void Different_versions_get_different_identities()
    {
        Assert.NotEqual(_engine.IdentityOf(DemoLab.HttpbinV1).Id, _engine.IdentityOf(DemoLab.HttpbinV2).Id);
    }

    [Fact]
    public void Reserved_endpoints_have_cilium_reserved_identity_numbers()
    {
        Assert.Equal(1u, _engine.IdentityOf(new ReservedEndpoint(ReservedEntity.Host)).Id);
        Assert.Equal(2u, _engine.IdentityOf(new WorldEndpoint(IPAddress.Parse("8.8.8.8"))).Id);
        Assert.Equal(6u, _engine.IdentityOf(new ReservedEndpoint(ReservedEntity.RemoteNode)).Id);
        Assert.Equal(7u, _engine.IdentityOf(new ReservedEndpoint(ReservedEntity.KubeApiServer)).Id);
        Assert.Equal(["reserved:world"], _engine.IdentityOf(DemoLab.Internet).Labels.Formatted);
    }

    [Fact]
    public void An_address_in_a_policy_prefix_gets_the_longest_prefix_cidr_identity()
    {
        _engine.Apply(YamlManifests.ParseOne("""
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata:
              name: cidrs
              namespace: demo
            spec:
              endpointSelector: {}
              egress:
                - toCIDRSet:
                    - cidr: 192.168.0.0/16
                      except: [192.168.65.0/24]
            """));

        var mac = _engine.IdentityOf(DemoLab.MacHost);
        Assert.True(mac.Id > 1u << 24);
        Assert.Equal(["cidr:192.168.65.0/24", "reserved:world"], mac.Labels.Formatted);
        Assert.Equal(["cidr:192.168.0.0/16", "reserved:world"], _engine.IdentityOf(new WorldEndpoint(IPAddress.Parse("192.168.1.1"))).Labels.Formatted);
        Assert.Equal(2u, _engine.IdentityOf(DemoLab.Internet).Id);
    }
}
