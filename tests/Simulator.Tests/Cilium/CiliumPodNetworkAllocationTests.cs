using System.Text.Json.Nodes;
using LabNet.Simulator.Cilium;

namespace LabNet.Simulator.Tests.Cilium;

/// <summary>cluster-pool IPAM on one node: addresses from the node's pod CIDR, never one a pod holds or the health endpoint's.</summary>
public sealed class CiliumPodNetworkAllocationTests
{
    private readonly InMemoryClusterApi _api = new();
    private readonly JsonObject _node = new() { ["metadata"] = new JsonObject { ["name"] = "dev-worker1" } };

    public CiliumPodNetworkAllocationTests() => _api.Apply(new JsonObject
    {
        ["apiVersion"] = "cilium.io/v2",
        ["kind"] = "CiliumNode",
        ["metadata"] = new JsonObject { ["name"] = "dev-worker1" },
        ["spec"] = new JsonObject { ["ipam"] = new JsonObject { ["podCIDRs"] = new JsonArray("10.20.1.0/29") } },
    });

    private static JsonObject Pod(string name, string? ip = null) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
        ["spec"] = new JsonObject { ["nodeName"] = "dev-worker1" },
        ["status"] = ip is null ? new JsonObject() : new JsonObject { ["podIP"] = ip },
    };

    [Fact]
    public void A_new_ipam_keeps_the_addresses_running_pods_hold_and_never_hands_out_the_health_endpoints()
    {
        _api.Apply(Pod("coredns", "10.20.1.2"));
        var ipam = new CiliumPodNetwork(_api);

        Assert.Equal("10.20.1.2", ipam.Attach(Pod("coredns", "10.20.1.2"), _node).PodIp);
        // A /29 has hosts .1 (cilium_host) to .6 (health): pods get .2 to .5.
        Assert.Equal(["10.20.1.3", "10.20.1.4", "10.20.1.5"], new[] { "a", "b", "c" }.Select(n => ipam.Attach(Pod(n), _node).PodIp));
        Assert.Null(ipam.Attach(Pod("d"), _node).PodIp);
        Assert.Equal("10.20.1.6", CiliumNodeAddresses.Health(System.Net.IPNetwork.Parse("10.20.1.0/29")).ToString());
    }
}
