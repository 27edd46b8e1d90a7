using System.Net;
using LabNet.Simulator.Kubernetes;
using LabNet.Simulator.Mesh;
using LabNet.Simulator.Tests.Cilium;

namespace LabNet.Simulator.Tests.Mesh;

public sealed class ClusterDnsTests
{
    private readonly ClusterDns _dns;

    public ClusterDnsTests()
    {
        var api = new InMemoryClusterApi();
        api.Apply(YamlManifests.ParseOne("""
            apiVersion: v1
            kind: Service
            metadata: {name: httpbin, namespace: demo}
            spec: {clusterIP: 10.97.12.7, selector: {app: httpbin}, ports: [{port: 80}]}
            """));
        api.Apply(YamlManifests.ParseOne("""
            apiVersion: v1
            kind: Service
            metadata: {name: kube-dns, namespace: kube-system}
            spec: {clusterIP: 10.97.0.10, selector: {k8s-app: kube-dns}, ports: [{port: 53}]}
            """));
        _dns = new ClusterDns(new OneCluster(api));
    }

    [Theory]
    [InlineData("demo", "httpbin", "httpbin.demo.svc.cluster.local")]
    [InlineData("default", "httpbin.demo", "httpbin.demo.svc.cluster.local")]
    [InlineData("default", "httpbin.demo.svc", "httpbin.demo.svc.cluster.local")]
    [InlineData("default", "httpbin.demo.svc.cluster.local", "httpbin.demo.svc.cluster.local")]
    [InlineData("default", "httpbin.demo.svc.cluster.local.", "httpbin.demo.svc.cluster.local")]
    public void Service_names_resolve_through_the_pods_search_path_to_the_cluster_ip(string clientNamespace, string name, string canonical)
    {
        var answer = _dns.Resolve("dev", clientNamespace, name);

        Assert.Equal((canonical, IPAddress.Parse("10.97.12.7")), (answer.CanonicalName, Assert.Single(answer.Addresses)));
        Assert.Equal(IPAddress.Parse("10.97.0.10"), answer.Server);
    }

    [Fact]
    public void A_short_name_from_another_namespace_is_nxdomain()
    {
        var answer = _dns.Resolve("dev", "default", "httpbin");

        Assert.False(answer.Found);
        Assert.Empty(answer.Addresses);
    }

    [Fact]
    public void Pod_dns_names_resolve_to_the_ip_they_spell()
    {
        Assert.Equal(IPAddress.Parse("10.20.1.21"), Assert.Single(_dns.Resolve("dev", "demo", "10-20-1-21.demo.pod.cluster.local").Addresses));
    }

    private sealed class OneCluster(IClusterApi api) : IClusterApiRegistry
    {
        public IReadOnlyList<IClusterApi> Clusters => [api];

        public IClusterApi Create(ClusterBootstrap bootstrap) => throw new InvalidOperationException("One cluster only.");

        public IClusterApi? Find(string clusterName) => clusterName == api.Bootstrap.Name ? api : null;

        public bool Remove(string clusterName) => false;

        public IDisposable Watch(Action<IClusterApi> created, Action<IClusterApi> removed)
        {
            created(api);
            return new CancellationTokenSource();
        }
    }
}
