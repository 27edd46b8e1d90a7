using System.Net;
using LabNet.Simulator.Cilium.Engine;
using LabNet.Simulator.Cilium.Identity;
using LabNet.Simulator.Cilium.Policy;

namespace LabNet.Simulator.Tests.Cilium;

/// <summary>The policy semantics of hubble-cilium.md §5, one behaviour per test.</summary>
public sealed class PolicySemanticsTests
{
    private readonly CiliumPolicyEngine _engine = new(new CiliumPolicyEngineOptions { ClusterName = "dev" });

    private static readonly PodEndpoint Client = DemoLab.Pod("demo", "client", "10.20.1.1", ("app", "client"));
    private static readonly PodEndpoint Server = DemoLab.Pod("demo", "server", "10.20.1.2", ("app", "server"), ("tier", "backend"));
    private static readonly PodEndpoint OtherNamespaceClient = DemoLab.Pod("other", "client", "10.20.2.1", ("app", "client"));
    private static readonly PodEndpoint OtherNamespaceServer = DemoLab.Pod("other", "server", "10.20.2.2", ("app", "server"));

    private void Apply(string yaml)
    {
        foreach (var policy in YamlManifests.Parse(yaml))
        {
            _engine.Apply(policy);
        }
    }

    private ConnectionVerdict Tcp(PolicyEndpoint from, PolicyEndpoint to, int port) => _engine.Decide(from, to, IpProtocol.Tcp, port);

    private static string Cnp(string name, string spec, string @namespace = "demo") => $"""
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata:
          name: {name}
          namespace: {@namespace}
        spec:
        {Indent(spec)}
        """;

    private static string Indent(string text) => string.Join('\n', text.Split('\n').Select(line => "  " + line));

    [Fact]
    public void Without_any_policy_everything_is_forwarded_and_unenforced()
    {
        var verdict = Tcp(Client, Server, 80);
        VerdictAssert.Forwarded(verdict);
        Assert.False(verdict.Egress.Enforced);
        Assert.False(verdict.Ingress!.Enforced);
        Assert.Equal(PolicyMatchType.None, verdict.Ingress.MatchType);
    }

    [Fact]
    public void Ingress_empty_list_does_not_enable_default_deny()
    {
        Apply(Cnp("empty-ingress", """
            endpointSelector: {}
            ingress: []
            """));

        var verdict = Tcp(Client, Server, 80);
        VerdictAssert.Forwarded(verdict);
        Assert.False(verdict.Ingress!.Enforced);
    }

    [Fact]
    public void Ingress_list_with_one_empty_rule_denies_all_ingress()
    {
        Apply(Cnp("deny-all-ingress", """
            endpointSelector: {}
            ingress:
              - {}
            """));

        var verdict = Tcp(Client, Server, 80);
        VerdictAssert.Dropped(verdict, TrafficDirection.Ingress, DropReason.PolicyDenied);
        Assert.Empty(verdict.IngressDeniedBy);
        VerdictAssert.Forwarded(Tcp(Server, DemoLab.Internet, 443));
    }

    [Fact]
    public void Egress_list_with_one_empty_rule_denies_all_egress()
    {
        Apply(Cnp("deny-all-egress", """
            endpointSelector: {}
            egress:
              - {}
            """));

        VerdictAssert.Dropped(Tcp(Client, Server, 80), TrafficDirection.Egress);
        VerdictAssert.Dropped(Tcp(Client, DemoLab.Internet, 443), TrafficDirection.Egress);
        VerdictAssert.Forwarded(Tcp(DemoLab.Internet, Server, 80));
    }

    [Fact]
    public void A_rule_without_ingress_or_egress_has_no_effect()
    {
        Apply(Cnp("nothing", "endpointSelector: {}"));

        VerdictAssert.Forwarded(Tcp(Client, Server, 80));
        VerdictAssert.Forwarded(Tcp(DemoLab.Internet, Server, 80));
    }

    [Fact]
    public void Default_deny_applies_per_direction_only()
    {
        Apply(Cnp("server-ingress", """
            endpointSelector:
              matchLabels:
                app: server
            ingress:
              - fromEndpoints:
                  - matchLabels:
                      app: client
            """));

        VerdictAssert.Forwarded(Tcp(Client, Server, 80));
        VerdictAssert.Dropped(Tcp(DemoLab.Internet, Server, 80), TrafficDirection.Ingress);
        // The server's egress is untouched.
        VerdictAssert.Forwarded(Tcp(Server, DemoLab.Internet, 443));
    }

    [Fact]
    public void Endpoint_selector_selects_only_pods_of_the_policy_namespace()
    {
        Apply(Cnp("deny-all-ingress", """
            endpointSelector:
              matchLabels:
                app: server
            ingress:
              - {}
            """));

        VerdictAssert.Dropped(Tcp(Client, Server, 80), TrafficDirection.Ingress);
        VerdictAssert.Forwarded(Tcp(Client, OtherNamespaceServer, 80));
    }

    [Fact]
    public void Endpoint_selector_cannot_reach_into_another_namespace()
    {
        Apply(Cnp("tries-other-namespace", """
            endpointSelector:
              matchLabels:
                k8s:io.kubernetes.pod.namespace: other
            ingress:
              - {}
            """));

        VerdictAssert.Forwarded(Tcp(Client, OtherNamespaceServer, 80));
        VerdictAssert.Dropped(Tcp(Client, Server, 80), TrafficDirection.Ingress);
    }

    [Fact]
    public void From_endpoints_selector_is_scoped_to_the_policy_namespace()
    {
        Apply(Cnp("from-client", """
            endpointSelector:
              matchLabels:
                app: server
            ingress:
              - fromEndpoints:
                  - matchLabels:
                      app: client
            """));

        VerdictAssert.Forwarded(Tcp(Client, Server, 80));
        VerdictAssert.Dropped(Tcp(OtherNamespaceClient, Server, 80), TrafficDirection.Ingress);
    }

    [Theory]
    [InlineData("k8s:io.kubernetes.pod.namespace")]
    [InlineData("io.kubernetes.pod.namespace")]
    public void From_endpoints_with_a_namespace_label_reaches_that_namespace(string key)
    {
        Apply(Cnp("from-other", $$"""
            endpointSelector:
              matchLabels:
                app: server
            ingress:
              - fromEndpoints:
                  - matchLabels:
                      {{key}}: other
                      app: client
            """));

        VerdictAssert.Forwarded(Tcp(OtherNamespaceClient, Server, 80));
        VerdictAssert.Dropped(Tcp(Client, Server, 80), TrafficDirection.Ingress);
    }

    [Fact]
    public void Empty_from_endpoints_selector_means_every_pod_of_the_same_namespace()
    {
        Apply(Cnp("same-namespace", """
            endpointSelector:
              matchLabels:
                app: server
            ingress:
              - fromEndpoints:
                  - {}
            """));

        VerdictAssert.Forwarded(Tcp(Client, Server, 80));
        VerdictAssert.Dropped(Tcp(OtherNamespaceClient, Server, 80), TrafficDirection.Ingress);
        VerdictAssert.Dropped(Tcp(DemoLab.Internet, Server, 80), TrafficDirection.Ingress);
    }

    [Fact]
    public void Explicitly_empty_from_endpoints_list_selects_nothing()
    {
        Apply(Cnp("empty-peers", """
            endpointSelector:
              matchLabels:
                app: server
            ingress:
              - fromEndpoints: []
                toPorts:
                  - ports:
                      - port: "80"
                        protocol: TCP
            """));

        VerdictAssert.Dropped(Tcp(Client, Server, 80), TrafficDirection.Ingress);
    }

    [Fact]
    public void Egress_to_kube_dns_without_a_namespace_label_breaks_dns()
    {
        Apply(Cnp("dns-only-wrong", """
            endpointSelector: {}
            egress:
              - toEndpoints:
                  - matchLabels:
                      k8s-app: kube-dns
                toPorts:
                  - ports:
                      - port: "53"
                        protocol: ANY
            """));

        VerdictAssert.Dropped(_engine.Decide(Client, DemoLab.KubeDns, IpProtocol.Udp, 53), TrafficDirection.Egress);
        VerdictAssert.Dropped(Tcp(Client, Server, 80), TrafficDirection.Egress);
    }

    [Fact]
    public void L4_only_rule_allows_any_peer_on_that_port()
    {
        Apply(Cnp("port-80", """
            endpointSelector:
              matchLabels:
                app: server
            ingress:
              - toPorts:
                  - ports:
                      - port: "80"
                        protocol: TCP
            """));

        var world = Tcp(DemoLab.Internet, Server, 80);
        VerdictAssert.Forwarded(world);
        Assert.Equal(PolicyMatchType.L4Only, world.Ingress!.MatchType);
        VerdictAssert.Forwarded(Tcp(OtherNamespaceClient, Server, 80));
        VerdictAssert.Dropped(Tcp(Client, Server, 81), TrafficDirection.Ingress);
        VerdictAssert.Dropped(_engine.Decide(Client, Server, IpProtocol.Udp, 80), TrafficDirection.Ingress);
    }

    [Fact]
    public void L3_only_rule_allows_every_port_and_protocol_of_that_peer()
    {
        Apply(Cnp("from-client", """
            endpointSelector:
              matchLabels:
                app: server
            ingress:
              - fromEndpoints:
                  - matchLabels:
                      app: client
            """));

        foreach (var (protocol, port) in new[] { (IpProtocol.Tcp, 1), (IpProtocol.Udp, 53), (IpProtocol.Sctp, 9999), (IpProtocol.Icmp, 8) })
        {
            var verdict = _engine.Decide(Client, Server, protocol, port);
            VerdictAssert.Forwarded(verdict);
            Assert.Equal(PolicyMatchType.L3Only, verdict.Ingress!.MatchType);
        }
    }

    [Fact]
    public void Allow_all_entity_matches_with_match_type_all()
    {
        Apply(Cnp("from-all", """
            endpointSelector:
              matchLabels:
                app: server
            ingress:
              - fromEntities:
                  - all
            """));

        var verdict = Tcp(DemoLab.Internet, Server, 22);
        VerdictAssert.Forwarded(verdict);
        Assert.Equal(PolicyMatchType.All, verdict.Ingress!.MatchType);
    }

    [Fact]
    public void Protocol_any_matches_tcp_udp_and_sctp_but_a_tcp_port_does_not_match_udp()
    {
        Apply(Cnp("ports", """
            endpointSelector:
              matchLabels:
                app: server
            ingress:
              - toPorts:
                  - ports:
                      - port: "53"
                        protocol: ANY
                      - port: "80"
                        protocol: TCP
                      - port: "5000"
                        protocol: UDP
                  - ports:
                      - port: "9000"
            """));

        foreach (var protocol in new[] { IpProtocol.Tcp, IpProtocol.Udp, IpProtocol.Sctp })
        {
            VerdictAssert.Forwarded(_engine.Decide(Client, Server, protocol, 53));
            VerdictAssert.Forwarded(_engine.Decide(Client, Server, protocol, 9000));
        }

        VerdictAssert.Forwarded(_engine.Decide(Client, Server, IpProtocol.Tcp, 80));
        VerdictAssert.Dropped(_engine.Decide(Client, Server, IpProtocol.Udp, 80), TrafficDirection.Ingress);
        VerdictAssert.Forwarded(_engine.Decide(Client, Server, IpProtocol.Udp, 5000));
        VerdictAssert.Dropped(_engine.Decide(Client, Server, IpProtocol.Tcp, 5000), TrafficDirection.Ingress);
        VerdictAssert.Dropped(_engine.Decide(Client, Server, IpProtocol.Icmp, 8), TrafficDirection.Ingress);
    }

    [Fact]
    public void Port_ranges_cover_exactly_port_to_end_port()
    {
        Apply(Cnp("range", """
            endpointSelector:
              matchLabels:
                app: server
            ingress:
              - toPorts:
                  - ports:
                      - port: "8000"
                        endPort: 8100
                        protocol: TCP
            """));

        VerdictAssert.Dropped(Tcp(Client, Server, 7999), TrafficDirection.Ingress);
        foreach (var port in new[] { 8000, 8001, 8050, 8063, 8064, 8099, 8100 })
        {
            VerdictAssert.Forwarded(Tcp(Client, Server, port));
        }

        VerdictAssert.Dropped(Tcp(Client, Server, 8101), TrafficDirection.Ingress);
    }

    [Fact]
    public void Port_zero_means_every_port_of_the_protocol()
    {
        Apply(Cnp("all-tcp", """
            endpointSelector:
              matchLabels:
                app: server
            ingress:
              - fromEndpoints:
                  - matchLabels:
                      app: client
                toPorts:
                  - ports:
                      - port: "0"
                        protocol: TCP
            """));

        var verdict = Tcp(Client, Server, 31337);
        VerdictAssert.Forwarded(verdict);
        Assert.Equal(PolicyMatchType.L3Proto, verdict.Ingress!.MatchType);
        VerdictAssert.Dropped(_engine.Decide(Client, Server, IpProtocol.Udp, 53), TrafficDirection.Ingress);
    }

    [Fact]
    public void Icmp_rules_allow_the_listed_types()
    {
        Apply(Cnp("ping", """
            endpointSelector:
              matchLabels:
                app: server
            ingress:
              - fromEndpoints:
                  - {}
                icmps:
                  - fields:
                      - type: 8
                        family: IPv4
            """));

        VerdictAssert.Forwarded(_engine.Decide(Client, Server, IpProtocol.Icmp, 8));
        VerdictAssert.Dropped(_engine.Decide(Client, Server, IpProtocol.Icmp, 13), TrafficDirection.Ingress);
        VerdictAssert.Dropped(Tcp(Client, Server, 8), TrafficDirection.Ingress);
    }

    [Fact]
    public void Deny_rule_wins_over_allow_and_names_the_denying_policy()
    {
        Apply(Cnp("allow-everything", """
            endpointSelector:
              matchLabels:
                app: server
            ingress:
              - fromEntities:
                  - all
            """));
        Apply(Cnp("deny-client-80", """
            endpointSelector:
              matchLabels:
                app: server
            ingressDeny:
              - fromEndpoints:
                  - matchLabels:
                      app: client
                toPorts:
                  - ports:
                      - port: "80"
                        protocol: TCP
            """));

        var denied = Tcp(Client, Server, 80);
        VerdictAssert.Dropped(denied, TrafficDirection.Ingress, DropReason.PolicyDeny);
        Assert.Equal("deny-client-80", Assert.Single(denied.IngressDeniedBy).Name);
        Assert.Equal((int)DropReason.PolicyDeny, 181);

        VerdictAssert.Forwarded(Tcp(Client, Server, 443));
        VerdictAssert.Forwarded(Tcp(DemoLab.Internet, Server, 80));
    }

    [Fact]
    public void Egress_deny_of_the_world_beats_an_allow_all_egress()
    {
        Apply(Cnp("egress", """
            endpointSelector:
              matchLabels:
                app: client
            egress:
              - toEntities:
                  - all
            egressDeny:
              - toEntities:
                  - world
            """));

        VerdictAssert.Dropped(Tcp(Client, DemoLab.Internet, 443), TrafficDirection.Egress, DropReason.PolicyDeny);
        VerdictAssert.Forwarded(Tcp(Client, Server, 80));
    }

    [Fact]
    public void A_deny_only_policy_puts_the_endpoint_in_default_deny()
    {
        Apply(Cnp("deny-world", """
            endpointSelector:
              matchLabels:
                app: server
            ingressDeny:
              - fromEntities:
                  - world
            """));

        VerdictAssert.Dropped(Tcp(DemoLab.Internet, Server, 80), TrafficDirection.Ingress, DropReason.PolicyDeny);
        VerdictAssert.Dropped(Tcp(Client, Server, 80), TrafficDirection.Ingress, DropReason.PolicyDenied);
    }

    [Fact]
    public void Enable_default_deny_false_adds_allows_without_denying_the_rest()
    {
        Apply(Cnp("broad", """
            endpointSelector: {}
            enableDefaultDeny:
              ingress: false
              egress: false
            ingress:
              - fromEndpoints:
                  - matchLabels:
                      app: client
            ingressDeny:
              - fromEntities:
                  - world
                toPorts:
                  - ports:
                      - port: "22"
            """));

        var allowed = Tcp(Client, Server, 80);
        VerdictAssert.Forwarded(allowed);
        Assert.False(allowed.Ingress!.Enforced);
        Assert.Equal("broad", Assert.Single(allowed.IngressAllowedBy).Name);
        VerdictAssert.Forwarded(Tcp(OtherNamespaceClient, Server, 80));
        VerdictAssert.Forwarded(Tcp(DemoLab.Internet, Server, 80));
        VerdictAssert.Dropped(Tcp(DemoLab.Internet, Server, 22), TrafficDirection.Ingress, DropReason.PolicyDeny);
    }

    [Fact]
    public void Another_policy_without_enable_default_deny_still_enables_it()
    {
        Apply(Cnp("broad", """
            endpointSelector: {}
            enableDefaultDeny:
              ingress: false
            ingress:
              - fromEndpoints:
                  - matchLabels:
                      app: client
            """));
        Apply(Cnp("strict", """
            endpointSelector:
              matchLabels:
                app: server
            ingress:
              - fromEntities:
                  - host
            """));

        VerdictAssert.Forwarded(Tcp(Client, Server, 80));
        VerdictAssert.Dropped(Tcp(DemoLab.Internet, Server, 80), TrafficDirection.Ingress);
    }

    [Fact]
    public void Both_the_source_egress_and_the_destination_ingress_must_allow()
    {
        Apply(Cnp("client-egress", """
            endpointSelector:
              matchLabels:
                app: client
            egress:
              - toEndpoints:
                  - matchLabels:
                      app: server
            """));
        Apply(Cnp("server-ingress", """
            endpointSelector:
              matchLabels:
                app: server
            ingress:
              - fromEndpoints:
                  - matchLabels:
                      app: nobody
            """));

        var verdict = Tcp(Client, Server, 80);
        Assert.True(verdict.Egress.Allowed);
        VerdictAssert.Dropped(verdict, TrafficDirection.Ingress);
    }

    [Fact]
    public void Replies_of_an_allowed_connection_are_not_checked_against_the_other_direction()
    {
        Apply(Cnp("server-locked", """
            endpointSelector:
              matchLabels:
                app: server
            egress:
              - {}
            ingress:
              - fromEndpoints:
                  - matchLabels:
                      app: client
            """));

        // The server may not open connections, yet its replies to the client flow: the verdict covers the connection.
        VerdictAssert.Dropped(Tcp(Server, Client, 40000), TrafficDirection.Egress);
        var verdict = Tcp(Client, Server, 80);
        VerdictAssert.Forwarded(verdict);
        Assert.Equal(TrafficDirection.Ingress, verdict.Direction);
    }

    [Fact]
    public void Entity_world_matches_outside_addresses_but_not_pods_or_nodes()
    {
        Apply(Cnp("from-world", """
            endpointSelector:
              matchLabels:
                app: server
            ingress:
              - fromEntities:
                  - world
            """));

        VerdictAssert.Forwarded(Tcp(DemoLab.Internet, Server, 80));
        VerdictAssert.Dropped(Tcp(Client, Server, 80), TrafficDirection.Ingress);
        VerdictAssert.Dropped(Tcp(DemoLab.RemoteNode, Server, 80), TrafficDirection.Ingress);
    }

    [Fact]
    public void Entity_cluster_matches_pods_of_any_namespace_and_nodes_but_not_the_world()
    {
        Apply(Cnp("from-cluster", """
            endpointSelector:
              matchLabels:
                app: server
            ingress:
              - fromEntities:
                  - cluster
            """));

        VerdictAssert.Forwarded(Tcp(Client, Server, 80));
        VerdictAssert.Forwarded(Tcp(OtherNamespaceClient, Server, 80));
        VerdictAssert.Forwarded(Tcp(DemoLab.RemoteNode, Server, 80));
        VerdictAssert.Forwarded(Tcp(new ReservedEndpoint(ReservedEntity.KubeApiServer), Server, 80));
        VerdictAssert.Dropped(Tcp(DemoLab.Internet, Server, 80), TrafficDirection.Ingress);
    }

    [Fact]
    public void Entities_host_remote_node_and_kube_apiserver_match_only_themselves()
    {
        Apply(Cnp("to-infra", """
            endpointSelector:
              matchLabels:
                app: client
            egress:
              - toEntities:
                  - remote-node
                  - kube-apiserver
            """));

        VerdictAssert.Forwarded(Tcp(Client, DemoLab.RemoteNode, 10250));
        VerdictAssert.Forwarded(Tcp(Client, new ReservedEndpoint(ReservedEntity.KubeApiServer), 6443));
        VerdictAssert.Dropped(Tcp(Client, DemoLab.LocalHost, 10250), TrafficDirection.Egress);
        VerdictAssert.Dropped(Tcp(Client, Server, 80), TrafficDirection.Egress);
        VerdictAssert.Dropped(Tcp(Client, DemoLab.Internet, 443), TrafficDirection.Egress);
    }

    [Fact]
    public void To_cidr_matches_outside_addresses_in_the_prefix_only()
    {
        Apply(Cnp("to-cidr", """
            endpointSelector:
              matchLabels:
                app: client
            egress:
              - toCIDR:
                  - 93.184.216.0/24
            """));

        VerdictAssert.Forwarded(Tcp(Client, DemoLab.Internet, 443));
        VerdictAssert.Dropped(Tcp(Client, new WorldEndpoint(IPAddress.Parse("93.184.217.1")), 443), TrafficDirection.Egress);
        Assert.Equal("cidr:93.184.216.0/24", _engine.IdentityOf(DemoLab.Internet).Labels.Formatted[0]);
    }

    [Fact]
    public void Cidr_set_except_carves_out_a_sub_prefix()
    {
        Apply(Cnp("to-cidr-set", """
            endpointSelector:
              matchLabels:
                app: client
            egress:
              - toCIDRSet:
                  - cidr: 192.168.0.0/16
                    except:
                      - 192.168.65.0/24
            """));

        VerdictAssert.Forwarded(Tcp(Client, new WorldEndpoint(IPAddress.Parse("192.168.1.10")), 22));
        VerdictAssert.Dropped(Tcp(Client, DemoLab.MacHost, 22), TrafficDirection.Egress);
        VerdictAssert.Dropped(Tcp(Client, DemoLab.Internet, 443), TrafficDirection.Egress);
    }

    [Fact]
    public void Cidr_all_addresses_with_except_still_matches_plain_world()
    {
        Apply(Cnp("internet-but-private", """
            endpointSelector:
              matchLabels:
                app: client
            egress:
              - toCIDRSet:
                  - cidr: 0.0.0.0/0
                    except:
                      - 10.0.0.0/8
                      - 192.168.0.0/16
            """));

        VerdictAssert.Forwarded(Tcp(Client, DemoLab.Internet, 443));
        VerdictAssert.Dropped(Tcp(Client, DemoLab.MacHost, 443), TrafficDirection.Egress);
        VerdictAssert.Dropped(Tcp(Client, new WorldEndpoint(IPAddress.Parse("10.1.2.3")), 443), TrafficDirection.Egress);
    }

    [Fact]
    public void Cidr_rules_never_match_pods_even_inside_the_prefix()
    {
        Apply(Cnp("from-pod-cidr", """
            endpointSelector:
              matchLabels:
                app: server
            ingress:
              - fromCIDR:
                  - 10.20.0.0/16
            """));

        VerdictAssert.Dropped(Tcp(Client, Server, 80), TrafficDirection.Ingress);
        VerdictAssert.Forwarded(Tcp(new WorldEndpoint(IPAddress.Parse("10.20.99.99")), Server, 80));
    }

    [Fact]
    public void Match_expressions_support_in_not_in_exists_and_does_not_exist()
    {
        var v1 = DemoLab.Pod("demo", "v1", "10.20.1.11", ("app", "client"), ("version", "v1"));
        var v2 = DemoLab.Pod("demo", "v2", "10.20.1.12", ("app", "client"), ("version", "v2"));
        var canary = DemoLab.Pod("demo", "canary", "10.20.1.13", ("app", "client"), ("version", "v3"), ("canary", "true"));
        Apply(Cnp("expressions", """
            endpointSelector:
              matchLabels:
                app: server
            ingress:
              - fromEndpoints:
                  - matchExpressions:
                      - key: version
                        operator: In
                        values: ["v1", "v2"]
                      - key: canary
                        operator: DoesNotExist
                  - matchExpressions:
                      - key: canary
                        operator: Exists
                      - key: version
                        operator: NotIn
                        values: ["v1"]
            """));

        VerdictAssert.Forwarded(Tcp(v1, Server, 80));
        VerdictAssert.Forwarded(Tcp(v2, Server, 80));
        VerdictAssert.Forwarded(Tcp(canary, Server, 80));
        VerdictAssert.Dropped(Tcp(Client, Server, 80), TrafficDirection.Ingress);
    }

    [Fact]
    public void Reserved_labels_in_from_endpoints_are_not_namespace_scoped()
    {
        Apply(Cnp("from-host", """
            endpointSelector:
              matchLabels:
                app: server
            ingress:
              - fromEndpoints:
                  - matchLabels:
                      reserved:remote-node: ""
            """));

        VerdictAssert.Forwarded(Tcp(DemoLab.RemoteNode, Server, 80));
        VerdictAssert.Dropped(Tcp(Client, Server, 80), TrafficDirection.Ingress);
    }

    [Fact]
    public void A_policy_change_applies_to_the_next_connection()
    {
        var before = Tcp(Client, Server, 80);
        VerdictAssert.Forwarded(before);
        var revision = _engine.Revision;

        Apply(Cnp("lockdown", """
            endpointSelector: {}
            ingress:
              - {}
            """));

        Assert.Equal(revision + 1, _engine.Revision);
        VerdictAssert.Forwarded(before);
        VerdictAssert.Dropped(Tcp(Client, Server, 80), TrafficDirection.Ingress);

        Assert.True(_engine.Delete(PolicyKind.CiliumNetworkPolicy, "demo", "lockdown"));
        Assert.Equal(revision + 2, _engine.Revision);
        VerdictAssert.Forwarded(Tcp(Client, Server, 80));
        Assert.False(_engine.Delete(PolicyKind.CiliumNetworkPolicy, "demo", "lockdown"));
    }

    [Fact]
    public void Reapplying_a_policy_replaces_it()
    {
        Apply(Cnp("server", """
            endpointSelector:
              matchLabels:
                app: server
            ingress:
              - toPorts:
                  - ports:
                      - port: "80"
            """));
        Apply(Cnp("server", """
            endpointSelector:
              matchLabels:
                app: server
            ingress:
              - toPorts:
                  - ports:
                      - port: "443"
            """));

        Assert.Single(_engine.Policies);
        VerdictAssert.Dropped(Tcp(Client, Server, 80), TrafficDirection.Ingress);
        VerdictAssert.Forwarded(Tcp(Client, Server, 443));
    }

    [Fact]
    public void Specs_list_contributes_every_rule()
    {
        Apply(Cnp("two", "{}").Replace("spec:\n  {}", """
            specs:
              - endpointSelector:
                  matchLabels:
                    app: server
                ingress:
                  - toPorts:
                      - ports:
                          - port: "80"
              - endpointSelector:
                  matchLabels:
                    app: client
                egress:
                  - toEntities:
                      - cluster
            """));

        VerdictAssert.Dropped(Tcp(DemoLab.Internet, Server, 81), TrafficDirection.Ingress);
        VerdictAssert.Forwarded(Tcp(DemoLab.Internet, Server, 80));
        VerdictAssert.Dropped(Tcp(Client, DemoLab.Internet, 80), TrafficDirection.Egress);
    }

    [Fact]
    public void Allowing_policies_are_reported_with_hubble_policy_fields()
    {
        Apply(Cnp("from-client", """
            endpointSelector:
              matchLabels:
                app: server
            ingress:
              - fromEndpoints:
                  - matchLabels:
                      app: client
            """).Replace("namespace: demo", "namespace: demo\n  uid: 3d1f1c8a-0000-4000-8000-000000000001"));

        var policy = Assert.Single(Tcp(Client, Server, 80).IngressAllowedBy);
        Assert.Equal("from-client", policy.Name);
        Assert.Equal("demo", policy.Namespace);
        Assert.Equal("CiliumNetworkPolicy", policy.Kind);
        Assert.Equal(1UL, policy.Revision);
        Assert.Equal(
            [
                "k8s:io.cilium.k8s.policy.derived-from=CiliumNetworkPolicy",
                "k8s:io.cilium.k8s.policy.name=from-client",
                "k8s:io.cilium.k8s.policy.namespace=demo",
                "k8s:io.cilium.k8s.policy.uid=3d1f1c8a-0000-4000-8000-000000000001",
            ],
            policy.Labels);
    }

    [Fact]
    public void Enforcement_mode_always_denies_unselected_pods_while_the_local_node_still_reaches_them()
    {
        var engine = new CiliumPolicyEngine(new CiliumPolicyEngineOptions { EnforcementMode = PolicyEnforcementMode.Always });

        VerdictAssert.Dropped(engine.Decide(Client, Server, IpProtocol.Tcp, 80), TrafficDirection.Egress);
        VerdictAssert.Dropped(engine.Decide(DemoLab.Internet, Server, IpProtocol.Tcp, 80), TrafficDirection.Ingress);
        VerdictAssert.Forwarded(engine.Decide(DemoLab.LocalHost, Server, IpProtocol.Tcp, 8080));
    }

    [Fact]
    public void Enforcement_mode_never_forwards_everything_whatever_the_policies()
    {
        var engine = new CiliumPolicyEngine(new CiliumPolicyEngineOptions { EnforcementMode = PolicyEnforcementMode.Never });
        engine.ApplyAll(YamlManifests.LoadDirectory(DemoLab.ShippedPolicies));

        VerdictAssert.Forwarded(engine.Decide(DemoLab.Redis, DemoLab.HttpbinV1, IpProtocol.Tcp, 80));
        Assert.False(engine.Decide(DemoLab.Nginx, DemoLab.HttpbinV1, IpProtocol.Tcp, 80).L7ProxyInPath);
    }

    [Fact]
    public void The_local_node_passes_default_deny_but_not_an_explicit_deny()
    {
        Apply(Cnp("deny-host-ssh", """
            endpointSelector:
              matchLabels:
                app: server
            ingress:
              - {}
            ingressDeny:
              - fromEntities:
                  - host
                toPorts:
                  - ports:
                      - port: "22"
                        protocol: TCP
            """));

        VerdictAssert.Forwarded(Tcp(DemoLab.LocalHost, Server, 8080));
        VerdictAssert.Dropped(Tcp(DemoLab.LocalHost, Server, 22), TrafficDirection.Ingress, DropReason.PolicyDeny);
        VerdictAssert.Dropped(Tcp(DemoLab.RemoteNode, Server, 8080), TrafficDirection.Ingress);
    }
}
