using System.Text.Json.Nodes;
using LabNet.Simulator.Kubeadm;

namespace LabNet.Simulator.Helm.Charts;

/// <summary>The workload objects charts render: service accounts, deployments, daemonsets, services.</summary>
public static class WorkloadObjects
{
    public static JsonObject Labels(params (string Key, string Value)[] labels) =>
        new(labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)JsonValue.Create(l.Value))));

    public static JsonObject ServiceAccount(string name, string @namespace) =>
        new() { ["apiVersion"] = "v1", ["kind"] = "ServiceAccount", ["metadata"] = ClusterObjects.Metadata(name, @namespace) };

    public static JsonObject PodTemplate(JsonObject labels, string container, string image, bool hostNetwork = false, JsonArray? ports = null)
    {
        var spec = new JsonObject
        {
            ["containers"] = new JsonArray(new JsonObject
            {
                ["name"] = container,
                ["image"] = image,
                ["ports"] = ports ?? [],
            }),
        };
        if (hostNetwork)
        {
            spec["hostNetwork"] = true;
        }

        return new JsonObject { ["metadata"] = new JsonObject { ["labels"] = labels.DeepClone() }, ["spec"] = spec };
    }

    public static JsonObject Deployment(string name, string @namespace, JsonObject labels, int replicas, JsonObject template) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "Deployment",
        ["metadata"] = ClusterObjects.Metadata(name, @namespace, labels.DeepClone().AsObject()),
        ["spec"] = new JsonObject
        {
            ["replicas"] = replicas,
            ["selector"] = new JsonObject { ["matchLabels"] = labels.DeepClone() },
            ["template"] = template,
        },
    };

    public static JsonObject DaemonSet(string name, string @namespace, JsonObject labels, JsonObject template, int desired, int ready) => new()
    {
        ["apiVersion"] = "apps/v1",
        ["kind"] = "DaemonSet",
        ["metadata"] = ClusterObjects.Metadata(name, @namespace, labels.DeepClone().AsObject()),
        ["spec"] = new JsonObject
        {
            ["selector"] = new JsonObject { ["matchLabels"] = labels.DeepClone() },
            ["template"] = template,
            ["updateStrategy"] = new JsonObject { ["type"] = "RollingUpdate" },
        },
        ["status"] = new JsonObject
        {
            ["currentNumberScheduled"] = desired,
            ["desiredNumberScheduled"] = desired,
            ["numberAvailable"] = ready,
            ["numberReady"] = ready,
            ["numberMisscheduled"] = 0,
            ["updatedNumberScheduled"] = desired,
            ["observedGeneration"] = 1,
        },
    };

    public static JsonObject Service(string name, string @namespace, JsonObject selector, string type, params (string Name, int Port, int Target, int? NodePort)[] ports)
    {
        var list = new JsonArray();
        foreach (var (portName, port, target, nodePort) in ports)
        {
            var entry = new JsonObject { ["name"] = portName, ["port"] = port, ["protocol"] = "TCP", ["targetPort"] = target };
            if (nodePort is { } np)
            {
                entry["nodePort"] = np;
            }

            list.Add(entry);
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = ClusterObjects.Metadata(name, @namespace, selector.DeepClone().AsObject()),
            ["spec"] = new JsonObject { ["type"] = type, ["selector"] = selector.DeepClone(), ["ports"] = list },
        };
    }
}
