using LabNet.Simulator.Cilium.Engine;
using LabNet.Simulator.Cilium.Identity;
using LabNet.Simulator.Cilium.Policy;

namespace LabNet.Simulator.Tests.Cilium;

/// <summary>CiliumClusterwideNetworkPolicy and networking.k8s.io/v1 NetworkPolicy, as the Cilium agent enforces them.</summary>
public sealed class ClusterwideAndKubernetesPolicyTests
{
    private readonly CiliumPolicyEngine _engine = new(new CiliumPolicyEngineOptions { ClusterName = "dev" });

    private static readonly PodEndpoint DemoClient = DemoLab.Pod("demo", "client", "10.20.1.1", ("app", "client"));
    private static readonly PodEndpoint DemoServer = DemoLab.Pod("demo", "server", "10.20.1.2", ("app", "server"));
    private static readonly PodEndpoint OtherClient = new("other", "client", new Dictionary<string, string> { ["app"] = "client" },
        System.Net.IPAddress.Parse("10.20.2.1"), NamespaceLabels: new Dictionary<string, string> { ["team"] = "blue" });
    private static readonly PodEndpoint OtherServer = DemoLab.Pod("other", "server", "10.20.2.2", ("app", "server"));

    private ConnectionVerdict Tcp(PolicyEndpoint from, PolicyEndpoint to, int port) => _engine.Decide(from, to, IpProtocol.Tcp, port);

    [Fact]
    public void Clusterwide_policy_selects_pods_of_every_namespace_and_its_peers_span_namespaces()
    {
        _engine.Apply(YamlManifests.ParseOne("""
            apiVersion: cilium.io/v2
            kind: CiliumClusterwideNetworkPolicy
            metadata:
              name: servers-from-clients
            spec:
              endpointSelector:
                matchLabels:
                  app: server
              ingress:
                - fromEndpoints:
                    - matchLabels:
                        app: client
            """));

        VerdictAssert.Forwarded(Tcp(DemoClient, DemoServer, 80));
        VerdictAssert.Forwarded(Tcp(OtherClient, DemoServer, 80));
        VerdictAssert.Forwarded(Tcp(DemoClient, OtherServer, 80));
        VerdictAssert.Dropped(Tcp(DemoLab.Internet, OtherServer, 80), TrafficDirection.Ingress);

        var policy = Assert.Single(Tcp(DemoClient, DemoServer, 80).IngressAllowedBy);
        Assert.Equal("CiliumClusterwideNetworkPolicy", policy.Kind);
        Assert.Equal("", policy.Namespace);
    }

    [Fact]
    public void Clusterwide_empty_peer_selector_matches_pods_but_not_the_world()
    {
        _engine.Apply(YamlManifests.ParseOne("""
            apiVersion: cilium.io/v2
            kind: CiliumClusterwideNetworkPolicy
            metadata:
              name: pods-only
            spec:
              endpointSelector: {}
              ingress:
                - fromEndpoints:
                    - {}
            """));

        VerdictAssert.Forwarded(Tcp(OtherClient, DemoServer, 80));
        VerdictAssert.Dropped(Tcp(DemoLab.Internet, DemoServer, 80), TrafficDirection.Ingress);
        VerdictAssert.Dropped(Tcp(DemoLab.RemoteNode, DemoServer, 80), TrafficDirection.Ingress);
    }

    [Fact]
    public void Network_policy_with_ingress_policy_type_and_no_rules_denies_all_ingress()
    {
        _engine.Apply(YamlManifests.ParseOne("""
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: default-deny
              namespace: demo
            spec:
              podSelector: {}
              policyTypes: [Ingress]
            """));

        VerdictAssert.Dropped(Tcp(DemoClient, DemoServer, 80), TrafficDirection.Ingress);
        VerdictAssert.Forwarded(Tcp(DemoServer, DemoLab.Internet, 443));
        VerdictAssert.Forwarded(Tcp(DemoClient, OtherServer, 80));
    }

    [Fact]
    public void Network_policy_pod_and_namespace_selectors_and_ports_translate_like_cilium()
    {
        _engine.Apply(YamlManifests.ParseOne("""
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: server
              namespace: demo
            spec:
              podSelector:
                matchLabels:
                  app: server
              ingress:
                - from:
                    - podSelector:
                        matchLabels:
                          app: client
                    - namespaceSelector:
                        matchLabels:
                          team: blue
                  ports:
                    - port: 8080
              egress:
                - to:
                    - ipBlock:
                        cidr: 0.0.0.0/0
                        except: [10.0.0.0/8]
            """));

        VerdictAssert.Forwarded(Tcp(DemoClient, DemoServer, 8080));
        VerdictAssert.Forwarded(Tcp(OtherClient, DemoServer, 8080));
        VerdictAssert.Dropped(Tcp(DemoClient, DemoServer, 80), TrafficDirection.Ingress);
        VerdictAssert.Dropped(_engine.Decide(DemoClient, DemoServer, IpProtocol.Udp, 8080), TrafficDirection.Ingress);
        VerdictAssert.Dropped(Tcp(OtherServer, DemoServer, 8080), TrafficDirection.Ingress);

        VerdictAssert.Forwarded(Tcp(DemoServer, DemoLab.Internet, 443));
        VerdictAssert.Dropped(Tcp(DemoServer, new WorldEndpoint(System.Net.IPAddress.Parse("10.1.1.1")), 443), TrafficDirection.Egress);
        Assert.Equal("NetworkPolicy", Assert.Single(Tcp(DemoClient, DemoServer, 8080).IngressAllowedBy).Kind);
    }

    [Fact]
    public void Network_policy_rule_without_peers_allows_everyone_on_its_ports()
    {
        _engine.Apply(YamlManifests.ParseOne("""
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: web
              namespace: demo
            spec:
              podSelector:
                matchLabels:
                  app: server
              ingress:
                - ports:
                    - port: 80
                      protocol: TCP
            """));

        VerdictAssert.Forwarded(Tcp(DemoLab.Internet, DemoServer, 80));
        VerdictAssert.Forwarded(Tcp(OtherClient, DemoServer, 80));
        VerdictAssert.Dropped(Tcp(OtherClient, DemoServer, 81), TrafficDirection.Ingress);
    }

    [Fact]
    public void Network_policy_errors_name_the_field_path()
    {
        var error = Assert.Throws<LabNet.Simulator.Cilium.Parsing.InvalidPolicyException>(() => _engine.Apply(YamlManifests.ParseOne("""
            apiVersion: networking.k8s.io/v1
            kind: NetworkPolicy
            metadata:
              name: broken
              namespace: demo
            spec:
              podSelector: {}
              egress:
                - to:
                    - ipBlock:
                        cidr: 10.0.0.0/8
                        except: [192.168.0.0/16]
                  ports:
                    - port: 53
                      protocol: DNS
            """)));

        Assert.Equal("NetworkPolicy demo/broken", error.Policy);
        Assert.Contains(error.Errors, e => e.StartsWith("spec.egress[0].to[0].ipBlock.except[0]: allow CIDR prefix 10.0.0.0/8 does not contain exclude prefix 192.168.0.0/16", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("spec.egress[0].ports[0].protocol: \"DNS\" is not a protocol; use TCP, UDP or SCTP", StringComparison.Ordinal));
    }
}
