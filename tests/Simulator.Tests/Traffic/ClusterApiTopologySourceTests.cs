using System.Net;
using System.Text.Json.Nodes;
using LabNet.Simulator.Tests.Cilium;
using LabNet.Simulator.Traffic;
using LabNet.Simulator.Workloads;

namespace LabNet.Simulator.Tests.Traffic;

public sealed class ClusterApiTopologySourceTests
{
    private static JsonObject Pod(string name, string? ip, string? node, string phase, params (string Key, string Value)[] labels) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject
        {
            ["namespace"] = "demo",
            ["name"] = name,
            ["uid"] = "uid-" + name,
            ["resourceVersion"] = "7",
            ["labels"] = new JsonObject(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)JsonValue.Create(l.Value)))),
            ["ownerReferences"] = new JsonArray(new JsonObject { ["kind"] = "ReplicaSet", ["name"] = "httpbin-5f8d7b6c4", ["controller"] = true }),
        },
        ["spec"] = node is null ? new JsonObject() : new JsonObject { ["nodeName"] = node },
        ["status"] = ip is null ? new JsonObject { ["phase"] = phase } : new JsonObject { ["phase"] = phase, ["podIP"] = ip },
    };

    [Fact]
    public void Scheduled_pods_come_with_labels_node_workload_and_an_ip()
    {
        var api = new InMemoryClusterApi();
        api.Apply(Pod("httpbin-5f8d7b6c4-aaaaa", "10.20.1.20", "dev-worker1", "Running", ("app", "httpbin"), ("version", "v1"), ("pod-template-hash", "5f8d7b6c4")));
        api.Apply(Pod("httpbin-5f8d7b6c4-bbbbb", null, "dev-worker1", "Pending", ("app", "httpbin"), ("pod-template-hash", "5f8d7b6c4")));
        api.Apply(Pod("unscheduled", null, null, "Pending"));
        api.Apply(Pod("finished", "10.20.1.99", "dev-worker1", "Succeeded"));
        api.Apply(new JsonObject
        {
            ["apiVersion"] = "v1", ["kind"] = "Service",
            ["metadata"] = new JsonObject { ["namespace"] = "demo", ["name"] = "httpbin" },
            ["spec"] = new JsonObject { ["selector"] = new JsonObject { ["app"] = "httpbin" }, ["ports"] = new JsonArray(new JsonObject { ["port"] = 80 }) },
        });

        var topology = ClusterApiTopologySource.Read(api);

        Assert.Equal(["httpbin-5f8d7b6c4-aaaaa", "httpbin-5f8d7b6c4-bbbbb"], topology.Pods.Select(p => p.Name).Order());
        var running = topology.Pods.Single(p => p.Name.EndsWith("aaaaa", StringComparison.Ordinal));
        Assert.Equal(IPAddress.Parse("10.20.1.20"), running.Ip);
        Assert.Equal("httpbin", running.Workload);
        Assert.Equal("dev-worker1", running.NodeName);
        Assert.False(running.AddressModeled);
        var pending = topology.Pods.Single(p => p.Name.EndsWith("bbbbb", StringComparison.Ordinal));
        Assert.True(pending.AddressModeled);
        Assert.True(new IPNetwork(IPAddress.Parse("10.20.0.0"), 16).Contains(pending.Ip));
        Assert.Equal(pending.Ip, ClusterApiTopologySource.Read(api).Pods.Single(p => p.Name == pending.Name).Ip);
        Assert.Equal(2, topology.Backends(topology.Service("demo", "httpbin")!).Count);
    }
}
