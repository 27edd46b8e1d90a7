using System.Net;
using LabNet.Simulator.Cilium.Engine;
using LabNet.Simulator.Cilium.Identity;
using LabNet.Simulator.Cilium.Policy;

namespace LabNet.Simulator.Tests.Cilium;

/// <summary>The original lab's demo on <c>dev</c> (tart-infra-original.md §3) as policy endpoints, with a policy engine.</summary>
internal sealed class DemoLab
{
    public const string ShippedPolicies = "manifests/network-policies";
    public const string OriginalPolicies = "manifests/original/network-policies";

    public CiliumPolicyEngine Engine { get; } = new(new CiliumPolicyEngineOptions { ClusterName = "dev" });

    public static readonly PodEndpoint Nginx = Pod("demo", "nginx-web-7d4b9c8f6-abcde", "10.20.1.10", ("app", "nginx-web"), ("pod-template-hash", "7d4b9c8f6"));
    public static readonly PodEndpoint HttpbinV1 = Pod("demo", "httpbin-5f8d7b6c4-v1aaa", "10.20.1.20", ("app", "httpbin"), ("version", "v1"));
    public static readonly PodEndpoint HttpbinV2 = Pod("demo", "httpbin-v2-6b7c8d9e0-v2bbb", "10.20.1.21", ("app", "httpbin"), ("version", "v2"));
    public static readonly PodEndpoint Redis = Pod("demo", "redis-6c5d4e3f2-ccccc", "10.20.1.30", ("app", "redis"));
    public static readonly PodEndpoint Postgres = Pod("demo", "postgres-5b4a3c2d1-ddddd", "10.20.1.40", ("app", "postgres"));
    public static readonly PodEndpoint Rabbitmq = Pod("demo", "rabbitmq-4a3b2c1d0-eeeee", "10.20.1.50", ("app", "rabbitmq"));
    public static readonly PodEndpoint Keycloak = Pod("demo", "keycloak-3f2e1d0c9-fffff", "10.20.1.60", ("app", "keycloak"));
    public static readonly PodEndpoint SreTest = Pod("demo", "sre-load-abc12-xyz", "10.20.1.70", ("sre-test", "true"));
    public static readonly PodEndpoint Unlabeled = Pod("demo", "k6-loadtest-qwert", "10.20.1.80");
    public static readonly PodEndpoint KubeDns = Pod("kube-system", "coredns-7c65d6cfc9-kdns1", "10.20.0.10", ("k8s-app", "kube-dns"));
    public static readonly PodEndpoint Istiod = Pod("istio-system", "istiod-5d9f8b7c6-istio", "10.20.0.20", ("app", "istiod"), ("istio", "pilot"));
    public static readonly PodEndpoint IngressGateway = Pod("istio-ingress", "istio-ingressgateway-1a2b3c", "10.20.0.30", ("app", "istio-ingressgateway"), ("istio", "ingressgateway"));
    public static readonly PodEndpoint DefaultNamespaceCurl = Pod("default", "test", "10.20.2.5", ("run", "test"));
    public static readonly WorldEndpoint Internet = new(IPAddress.Parse("93.184.216.34"));
    public static readonly WorldEndpoint MacHost = new(IPAddress.Parse("192.168.65.1"));
    public static readonly ReservedEndpoint RemoteNode = new(ReservedEntity.RemoteNode, IPAddress.Parse("192.168.65.3"), "dev-master");
    public static readonly ReservedEndpoint LocalHost = new(ReservedEntity.Host, IPAddress.Parse("192.168.65.4"), "dev-worker1");

    public static IReadOnlyList<PodEndpoint> DemoApps { get; } = [Nginx, HttpbinV1, HttpbinV2, Redis, Postgres, Rabbitmq, Keycloak];

    public static DemoLab With(string policyDirectory, params string[] extraFiles)
    {
        var lab = new DemoLab();
        foreach (var policy in YamlManifests.LoadDirectory(policyDirectory))
        {
            lab.Engine.Apply(policy);
        }

        foreach (var file in extraFiles)
        {
            lab.Engine.Apply(YamlManifests.LoadFile(file));
        }

        return lab;
    }

    public ConnectionVerdict Tcp(PolicyEndpoint source, PolicyEndpoint destination, int port) =>
        Engine.Decide(source, destination, IpProtocol.Tcp, port);

    public ConnectionVerdict Udp(PolicyEndpoint source, PolicyEndpoint destination, int port) =>
        Engine.Decide(source, destination, IpProtocol.Udp, port);

    public static PodEndpoint Pod(string @namespace, string name, string ip, params (string Key, string Value)[] labels) =>
        new(@namespace, name, labels.ToDictionary(l => l.Key, l => l.Value), IPAddress.Parse(ip));
}
