using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Kubeadm;

/// <summary>The API objects kubeadm and the kubelet create, in their wire form.</summary>
public static class ClusterObjects
{
    public const string NotReadyMessage =
        "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized";

    public static string Timestamp(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static JsonObject Metadata(string name, string? @namespace = null, JsonObject? labels = null)
    {
        var metadata = new JsonObject { ["name"] = name };
        if (@namespace is not null)
        {
            metadata["namespace"] = @namespace;
        }

        if (labels is not null)
        {
            metadata["labels"] = labels;
        }

        return metadata;
    }

    public static JsonObject Namespace(string name) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Namespace",
        ["metadata"] = Metadata(name, labels: new JsonObject { ["kubernetes.io/metadata.name"] = name }),
        ["spec"] = new JsonObject { ["finalizers"] = new JsonArray("kubernetes") },
        ["status"] = new JsonObject { ["phase"] = "Active" },
    };

    public static JsonObject ConfigMap(string name, string @namespace, IReadOnlyDictionary<string, string> data)
    {
        var values = new JsonObject();
        foreach (var (key, value) in data)
        {
            values[key] = value;
        }

        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = Metadata(name, @namespace), ["data"] = values };
    }

    public static JsonObject Secret(string name, string @namespace, string type, IReadOnlyDictionary<string, string> data, JsonObject? labels = null)
    {
        var values = new JsonObject();
        foreach (var (key, value) in data)
        {
            values[key] = Convert.ToBase64String(Encoding.UTF8.GetBytes(value));
        }

        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Secret", ["metadata"] = Metadata(name, @namespace, labels), ["type"] = type, ["data"] = values };
    }

    public static string? SecretValue(JsonObject secret, string key) =>
        secret["data"]?[key]?.GetValue<string>() is { } encoded ? Encoding.UTF8.GetString(Convert.FromBase64String(encoded)) : null;

    /// <summary>A node as the kubelet registers it: NotReady until a CNI is up.</summary>
    public static JsonObject Node(string name, string address, bool controlPlane, int cpu, int memoryMb, string kubeletVersion, string podCidr, DateTimeOffset now)
    {
        var labels = new JsonObject
        {
            ["beta.kubernetes.io/arch"] = "arm64",
            ["beta.kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = "arm64",
            ["kubernetes.io/hostname"] = name,
            ["kubernetes.io/os"] = "linux",
        };
        var taints = new JsonArray();
        if (controlPlane)
        {
            labels["node-role.kubernetes.io/control-plane"] = "";
            labels["node.kubernetes.io/exclude-from-external-load-balancers"] = "";
            taints.Add(new JsonObject { ["key"] = "node-role.kubernetes.io/control-plane", ["effect"] = "NoSchedule" });
        }

        taints.Add(new JsonObject { ["key"] = "node.kubernetes.io/not-ready", ["effect"] = "NoSchedule" });
        var metadata = Metadata(name, labels: labels);
        metadata["annotations"] = new JsonObject
        {
            ["kubeadm.alpha.kubernetes.io/cri-socket"] = "unix:///var/run/containerd/containerd.sock",
            ["node.alpha.kubernetes.io/ttl"] = "0",
            ["volumes.kubernetes.io/controller-managed-attach-detach"] = "true",
        };
        var memoryKi = (memoryMb * 1024L - 90_000).ToString(CultureInfo.InvariantCulture) + "Ki";
        var resources = new JsonObject { ["cpu"] = cpu.ToString(CultureInfo.InvariantCulture), ["memory"] = memoryKi, ["pods"] = "110", ["ephemeral-storage"] = "19475088Ki" };
        var stamp = Timestamp(now);
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject { ["podCIDR"] = podCidr, ["podCIDRs"] = new JsonArray(podCidr), ["taints"] = taints },
            ["status"] = new JsonObject
            {
                ["capacity"] = resources.DeepClone(),
                ["allocatable"] = resources,
                ["conditions"] = new JsonArray(
                    Condition("MemoryPressure", "False", "KubeletHasSufficientMemory", "kubelet has sufficient memory available", stamp),
                    Condition("DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure", stamp),
                    Condition("PIDPressure", "False", "KubeletHasSufficientPID", "kubelet has sufficient PID available", stamp),
                    Condition("Ready", "False", "KubeletNotReady", NotReadyMessage, stamp)),
                ["addresses"] = new JsonArray(
                    new JsonObject { ["type"] = "InternalIP", ["address"] = address },
                    new JsonObject { ["type"] = "Hostname", ["address"] = name }),
                ["daemonEndpoints"] = new JsonObject { ["kubeletEndpoint"] = new JsonObject { ["Port"] = 10250 } },
                ["nodeInfo"] = new JsonObject
                {
                    ["architecture"] = "arm64",
                    ["bootID"] = Guid.NewGuid().ToString(),
                    ["containerRuntimeVersion"] = "containerd://1.7.24",
                    ["kernelVersion"] = "6.8.0-49-generic",
                    ["kubeProxyVersion"] = "",
                    ["kubeletVersion"] = kubeletVersion,
                    ["machineID"] = Guid.NewGuid().ToString("N"),
                    ["operatingSystem"] = "linux",
                    ["osImage"] = "Ubuntu 24.04.1 LTS",
                    ["systemUUID"] = Guid.NewGuid().ToString().ToUpperInvariant(),
                },
            },
        };
    }

    private static JsonObject Condition(string type, string status, string reason, string message, string stamp) => new()
    {
        ["type"] = type,
        ["status"] = status,
        ["lastHeartbeatTime"] = stamp,
        ["lastTransitionTime"] = stamp,
        ["reason"] = reason,
        ["message"] = message,
    };

    /// <summary>Sets a node's Ready condition (and the not-ready taint) the way the kubelet and node controller do.</summary>
    public static void SetNodeReady(IClusterApi api, string nodeName, string status, DateTimeOffset now, string? address = null)
    {
        if (api.Get("v1", "Node", null, nodeName)?.DeepClone() is not JsonObject node)
        {
            return;
        }

        var stamp = Timestamp(now);
        var (reason, message) = status switch
        {
            "True" => ("KubeletReady", "kubelet is posting ready status"),
            "Unknown" => ("NodeStatusUnknown", "Kubelet stopped posting node status."),
            _ => ("KubeletNotReady", NotReadyMessage),
        };
        if (node["status"]?["conditions"] is JsonArray conditions)
        {
            foreach (var condition in conditions.OfType<JsonObject>())
            {
                var type = condition["type"]?.GetValue<string>();
                if (type == "Ready")
                {
                    if (condition["status"]?.GetValue<string>() != status)
                    {
                        condition["lastTransitionTime"] = stamp;
                    }

                    condition["status"] = status;
                    condition["reason"] = reason;
                    condition["message"] = message;
                    condition["lastHeartbeatTime"] = stamp;
                }
                else if (status == "Unknown")
                {
                    condition["status"] = "Unknown";
                    condition["reason"] = "NodeStatusUnknown";
                    condition["message"] = "Kubelet stopped posting node status.";
                }
            }

            if (status == "True" && !conditions.OfType<JsonObject>().Any(c => c["type"]?.GetValue<string>() == "NetworkUnavailable"))
            {
                conditions.Insert(0, Condition("NetworkUnavailable", "False", "CiliumIsUp", "Cilium is running on this node", stamp));
            }
        }

        if (node["spec"]?["taints"] is JsonArray taints)
        {
            var notReady = taints.OfType<JsonObject>().Where(t => t["key"]?.GetValue<string>() is "node.kubernetes.io/not-ready" or "node.kubernetes.io/unreachable").ToList();
            foreach (var taint in notReady)
            {
                taints.Remove(taint);
            }

            if (status != "True")
            {
                taints.Add(new JsonObject { ["key"] = status == "Unknown" ? "node.kubernetes.io/unreachable" : "node.kubernetes.io/not-ready", ["effect"] = "NoSchedule" });
            }
        }

        if (address is not null && node["status"]?["addresses"] is JsonArray addresses)
        {
            foreach (var entry in addresses.OfType<JsonObject>().Where(a => a["type"]?.GetValue<string>() == "InternalIP"))
            {
                entry["address"] = address;
            }
        }

        api.Apply(node);
    }

    /// <summary>The n-th /24 of a pod CIDR (the controller-manager's and Cilium's cluster-pool allocation order).</summary>
    public static string PodSubnet(string podCidr, int index)
    {
        var slash = podCidr.IndexOf('/');
        var network = IPAddress.Parse(podCidr[..slash]).GetAddressBytes();
        var value = ((uint)network[0] << 24 | (uint)network[1] << 16 | (uint)network[2] << 8 | network[3]) + (uint)(index << 8);
        return $"{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.0/24";
    }

    /// <summary>The n-th address of a CIDR (the service CIDR's first address is the kubernetes Service, the tenth kube-dns).</summary>
    public static string AddressIn(string cidr, int offset)
    {
        var slash = cidr.IndexOf('/');
        var network = IPAddress.Parse(slash < 0 ? cidr : cidr[..slash]).GetAddressBytes();
        var value = ((uint)network[0] << 24 | (uint)network[1] << 16 | (uint)network[2] << 8 | network[3]) + (uint)offset;
        return $"{value >> 24}.{(value >> 16) & 255}.{(value >> 8) & 255}.{value & 255}";
    }

    /// <summary>Creates the object unless one of that name exists (kubeadm's create-or-keep for defaults).</summary>
    public static void Ensure(IClusterApi api, JsonObject obj)
    {
        var metadata = obj["metadata"]!.AsObject();
        if (api.Get(obj["apiVersion"]!.GetValue<string>(), obj["kind"]!.GetValue<string>(), metadata["namespace"]?.GetValue<string>(), metadata["name"]!.GetValue<string>()) is null)
        {
            api.Apply(obj);
        }
    }
}
