using LabNet.Simulator.Cilium.Engine;
using LabNet.Simulator.Cilium.Identity;
using LabNet.Simulator.Cilium.Policy;

namespace LabNet.Simulator.Tests.Cilium;

/// <summary>
/// Every row of the verdict table of the original lab's demo (tart-infra-original.md §3), evaluated against the policy
/// files, for the shipped set and for the original set. allow-sre-tests (applied by the original dashboard) is added
/// to both.
/// </summary>
public sealed class DemoVerdictTableTests
{
    public static TheoryData<string> PolicySets => [DemoLab.ShippedPolicies, DemoLab.OriginalPolicies];

    private static DemoLab Lab(string set) => set == DemoLab.ShippedPolicies
        ? DemoLab.With(set, $"{DemoLab.OriginalPolicies}/allow-sre-tests.yaml")
        : DemoLab.With(set);

    [Theory, MemberData(nameof(PolicySets))]
    public void Every_demo_pod_reaches_kube_dns_on_53_over_udp_and_tcp(string set)
    {
        var lab = Lab(set);
        foreach (var pod in DemoLab.DemoApps.Append(DemoLab.Unlabeled).Append(DemoLab.SreTest))
        {
            VerdictAssert.Forwarded(lab.Udp(pod, DemoLab.KubeDns, 53));
            VerdictAssert.Forwarded(lab.Tcp(pod, DemoLab.KubeDns, 53));
        }
    }

    [Theory, MemberData(nameof(PolicySets))]
    public void World_and_cluster_reach_nginx_on_80(string set)
    {
        var lab = Lab(set);
        foreach (PolicyEndpoint source in new PolicyEndpoint[] { DemoLab.Internet, DemoLab.MacHost, DemoLab.RemoteNode, DemoLab.IngressGateway })
        {
            var verdict = lab.Tcp(source, DemoLab.Nginx, 80);
            VerdictAssert.Forwarded(verdict);
            Assert.Equal("allow-external-to-nginx", Assert.Single(verdict.IngressAllowedBy).Name);
        }

        VerdictAssert.Dropped(lab.Tcp(DemoLab.Internet, DemoLab.Nginx, 8080), TrafficDirection.Ingress);
    }

    [Theory, MemberData(nameof(PolicySets))]
    public void Nginx_reaches_both_httpbin_versions_with_GET_through_the_L7_proxy(string set)
    {
        var lab = Lab(set);
        foreach (var httpbin in new[] { DemoLab.HttpbinV1, DemoLab.HttpbinV2 })
        {
            var verdict = lab.Tcp(DemoLab.Nginx, httpbin, 80);
            VerdictAssert.Forwarded(verdict);
            Assert.True(verdict.L7ProxyInPath);
            Assert.Equal(PolicyMatchType.L3L4, verdict.Egress.MatchType);
            Assert.Equal(PolicyMatchType.L3L4, verdict.Ingress!.MatchType);
            Assert.Equal(FlowVerdict.Redirected, verdict.Egress.PolicyVerdict);
            Assert.Equal(FlowVerdict.Redirected, verdict.Ingress.PolicyVerdict);
            Assert.Equal("allow-nginx-egress", Assert.Single(verdict.EgressAllowedBy).Name);
            Assert.Equal("allow-nginx-to-httpbin", Assert.Single(verdict.IngressAllowedBy).Name);

            var get = verdict.EvaluateHttp(new HttpRequestInfo("GET", "/get", "httpbin"));
            Assert.Equal(FlowVerdict.Forwarded, get.Verdict);
            Assert.True(get.ProxyInPath);
        }
    }

    [Theory, MemberData(nameof(PolicySets))]
    public void Nginx_non_GET_to_httpbin_is_dropped_at_L7_with_403(string set)
    {
        var lab = Lab(set);
        var verdict = lab.Tcp(DemoLab.Nginx, DemoLab.HttpbinV1, 80);
        VerdictAssert.Forwarded(verdict);

        foreach (var method in new[] { "POST", "PUT", "DELETE", "PATCH" })
        {
            var http = verdict.EvaluateHttp(new HttpRequestInfo(method, "/post", "httpbin"));
            Assert.Equal(FlowVerdict.Dropped, http.Verdict);
            Assert.Equal(403, http.ProxyStatusCode);
            Assert.Equal("Access denied", HttpVerdict.AccessDeniedBody);
            // The client's own egress proxy refuses first.
            Assert.Equal(TrafficDirection.Egress, http.Direction);
        }
    }

    [Theory, MemberData(nameof(PolicySets))]
    public void Nginx_reaches_redis_on_6379_and_keycloak_reaches_postgres_on_5432(string set)
    {
        var lab = Lab(set);
        var redis = lab.Tcp(DemoLab.Nginx, DemoLab.Redis, 6379);
        VerdictAssert.Forwarded(redis);
        Assert.False(redis.L7ProxyInPath);
        Assert.Equal(FlowVerdict.Forwarded, redis.Ingress!.PolicyVerdict);
        Assert.Equal("allow-nginx-to-redis", Assert.Single(redis.IngressAllowedBy).Name);

        var postgres = lab.Tcp(DemoLab.Keycloak, DemoLab.Postgres, 5432);
        VerdictAssert.Forwarded(postgres);
        Assert.Equal("allow-keycloak-egress", Assert.Single(postgres.EgressAllowedBy).Name);
        Assert.Equal("allow-keycloak-to-postgres", Assert.Single(postgres.IngressAllowedBy).Name);
    }

    [Theory, MemberData(nameof(PolicySets))]
    public void World_and_cluster_reach_keycloak_on_8080(string set)
    {
        var lab = Lab(set);
        VerdictAssert.Forwarded(lab.Tcp(DemoLab.Internet, DemoLab.Keycloak, 8080));
        VerdictAssert.Forwarded(lab.Tcp(DemoLab.RemoteNode, DemoLab.Keycloak, 8080));
        VerdictAssert.Forwarded(lab.Tcp(DemoLab.IngressGateway, DemoLab.Keycloak, 8080));
    }

    [Theory, MemberData(nameof(PolicySets))]
    public void Httpbin_to_postgres_rabbitmq_keycloak_is_dropped_at_httpbin_egress(string set)
    {
        var lab = Lab(set);
        foreach (var (target, port) in new[] { (DemoLab.Postgres, 5432), (DemoLab.Rabbitmq, 5672), (DemoLab.Keycloak, 8080) })
        {
            var verdict = lab.Tcp(DemoLab.HttpbinV1, target, port);
            VerdictAssert.Dropped(verdict, TrafficDirection.Egress);
            Assert.Empty(verdict.EgressDeniedBy);
            Assert.Null(verdict.Ingress);
        }
    }

    [Theory, MemberData(nameof(PolicySets))]
    public void Nginx_to_postgres_rabbitmq_keycloak_is_dropped(string set)
    {
        var lab = Lab(set);
        VerdictAssert.Dropped(lab.Tcp(DemoLab.Nginx, DemoLab.Postgres, 5432), TrafficDirection.Egress);
        VerdictAssert.Dropped(lab.Tcp(DemoLab.Nginx, DemoLab.Rabbitmq, 5672), TrafficDirection.Egress);
        VerdictAssert.Dropped(lab.Tcp(DemoLab.Nginx, DemoLab.Keycloak, 8080), TrafficDirection.Egress);
    }

    [Theory, MemberData(nameof(PolicySets))]
    public void Demo_pods_reach_istiod_on_15010_15012_15014(string set)
    {
        var lab = Lab(set);
        foreach (var pod in DemoLab.DemoApps)
        {
            foreach (var port in new[] { 15010, 15012, 15014 })
            {
                var verdict = lab.Tcp(pod, DemoLab.Istiod, port);
                VerdictAssert.Forwarded(verdict);
                Assert.Contains(verdict.EgressAllowedBy, p => p.Name == "allow-istio-control-plane");
            }

            VerdictAssert.Dropped(lab.Tcp(pod, DemoLab.Istiod, 15017), TrafficDirection.Egress);
        }
    }

    [Theory, MemberData(nameof(PolicySets))]
    public void Sre_test_pod_reaches_nginx_but_not_httpbin(string set)
    {
        var lab = Lab(set);
        VerdictAssert.Forwarded(lab.Tcp(DemoLab.SreTest, DemoLab.Nginx, 80));

        var httpbin = lab.Tcp(DemoLab.SreTest, DemoLab.HttpbinV1, 80);
        VerdictAssert.Dropped(httpbin, TrafficDirection.Ingress);
        Assert.Equal("allow-sre-tests", Assert.Single(httpbin.EgressAllowedBy).Name);
    }

    [Theory, MemberData(nameof(PolicySets))]
    public void Unlabeled_k6_pod_reaches_nothing_but_dns(string set)
    {
        var lab = Lab(set);
        VerdictAssert.Dropped(lab.Tcp(DemoLab.Unlabeled, DemoLab.Nginx, 80), TrafficDirection.Egress);
        VerdictAssert.Dropped(lab.Tcp(DemoLab.Unlabeled, DemoLab.HttpbinV1, 80), TrafficDirection.Egress);
        VerdictAssert.Dropped(lab.Tcp(DemoLab.Unlabeled, DemoLab.Internet, 443), TrafficDirection.Egress);
    }

    [Theory, MemberData(nameof(PolicySets))]
    public void Rabbitmq_management_redis_from_others_and_the_internet_are_dropped(string set)
    {
        var lab = Lab(set);
        VerdictAssert.Dropped(lab.Tcp(DemoLab.Internet, DemoLab.Rabbitmq, 15672), TrafficDirection.Ingress);
        VerdictAssert.Dropped(lab.Tcp(DemoLab.Nginx, DemoLab.Rabbitmq, 15672), TrafficDirection.Egress);
        VerdictAssert.Dropped(lab.Tcp(DemoLab.Internet, DemoLab.Redis, 6379), TrafficDirection.Ingress);
        VerdictAssert.Dropped(lab.Tcp(DemoLab.IngressGateway, DemoLab.Redis, 6379), TrafficDirection.Ingress);
        VerdictAssert.Dropped(lab.Tcp(DemoLab.Keycloak, DemoLab.Redis, 6379), TrafficDirection.Egress);
        foreach (var pod in DemoLab.DemoApps)
        {
            VerdictAssert.Dropped(lab.Tcp(pod, DemoLab.Internet, 443), TrafficDirection.Egress);
        }
    }

    [Theory, MemberData(nameof(PolicySets))]
    public void Seed_redis_to_httpbin_80_is_dropped_at_L4(string set)
    {
        var lab = Lab(set);
        var verdict = lab.Tcp(DemoLab.Redis, DemoLab.HttpbinV1, 80);
        VerdictAssert.Dropped(verdict, TrafficDirection.Egress);
        Assert.False(verdict.L7ProxyInPath);
    }

    [Theory, MemberData(nameof(PolicySets))]
    public void Seed_curl_pod_in_default_namespace_is_dropped_at_httpbin_ingress(string set)
    {
        var lab = Lab(set);
        VerdictAssert.Dropped(lab.Tcp(DemoLab.DefaultNamespaceCurl, DemoLab.HttpbinV1, 80), TrafficDirection.Ingress);
    }

    [Fact]
    public void Original_default_deny_alone_leaves_ingress_open_while_the_shipped_one_denies_it()
    {
        var original = new DemoLab();
        original.Engine.Apply(YamlManifests.LoadFile($"{DemoLab.OriginalPolicies}/default-deny.yaml"));
        VerdictAssert.Forwarded(original.Tcp(DemoLab.Internet, DemoLab.Unlabeled, 8080));
        Assert.False(original.Tcp(DemoLab.Internet, DemoLab.Unlabeled, 8080).Ingress!.Enforced);

        var shipped = new DemoLab();
        shipped.Engine.Apply(YamlManifests.LoadFile($"{DemoLab.ShippedPolicies}/default-deny.yaml"));
        VerdictAssert.Dropped(shipped.Tcp(DemoLab.Internet, DemoLab.Unlabeled, 8080), TrafficDirection.Ingress);
    }

    [Fact]
    public void Kubelet_probes_from_the_local_node_reach_default_deny_pods()
    {
        var lab = Lab(DemoLab.ShippedPolicies);
        VerdictAssert.Forwarded(lab.Tcp(DemoLab.LocalHost, DemoLab.Keycloak, 9000));
        VerdictAssert.Dropped(lab.Tcp(DemoLab.RemoteNode, DemoLab.Keycloak, 9000), TrafficDirection.Ingress);
    }
}
