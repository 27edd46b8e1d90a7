using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// The scheduler and the kubelet for one pod: bind it to a Ready node whose taints it tolerates (fewest pods first),
/// then set up its sandbox through the cluster's CNI. Without a CNI the pod stays Pending in ContainerCreating with no
/// IP; host-network pods start anyway, as on a real node.
/// </summary>
internal sealed class PodLifecycle(ClusterApi cluster)
{
    public void Reconcile(string ns, string name)
    {
        var pods = cluster.Catalog.FindByPlural("", "v1", "pods")!;
        var nodes = cluster.Catalog.FindByPlural("", "v1", "nodes")!;
        var pod = cluster.Store.Get(pods.StorageKey, ns, name);
        if (pod is null || pod["status"]?["phase"]?.GetValue<string>() is "Running" or "Succeeded" or "Failed")
        {
            return;
        }

        var allNodes = cluster.Store.List(nodes.StorageKey, null).Items;
        var nodeName = pod["spec"]?["nodeName"]?.GetValue<string>();
        if (string.IsNullOrEmpty(nodeName))
        {
            var chosen = Schedule(pod, allNodes, pods);
            var now = cluster.Now();
            pod = cluster.Mutate(pods, ns, name, p =>
            {
                var status = Status(p);
                if (chosen is null)
                {
                    var message = $"0/{allNodes.Count} nodes are available: " + (allNodes.Count == 0
                        ? "no nodes available to schedule pods."
                        : $"{allNodes.Count} node(s) had untolerated taint {{node.kubernetes.io/not-ready: }}. preemption: 0/{allNodes.Count} nodes are available: {allNodes.Count} Preemption is not helpful for scheduling.");
                    var scheduled = ObjectFacts.Condition(p, "PodScheduled");
                    if (scheduled?["status"]?.GetValue<string>() == "False" && scheduled["message"]?.GetValue<string>() == message)
                    {
                        return false;
                    }

                    status["conditions"] = new JsonArray(new JsonObject
                    {
                        ["lastProbeTime"] = null,
                        ["lastTransitionTime"] = now,
                        ["message"] = message,
                        ["reason"] = "Unschedulable",
                        ["status"] = "False",
                        ["type"] = "PodScheduled",
                    });
                    cluster.Events.Warning(p, "FailedScheduling", message, "default-scheduler");
                    return true;
                }

                cluster.Events.Normal(p, "Scheduled", $"Successfully assigned {ns}/{name} to {ObjectFacts.Name(chosen)}", "default-scheduler");
                p["spec"]!["nodeName"] = ObjectFacts.Name(chosen);
                status["conditions"] = new JsonArray(Condition("PodScheduled", "True", now));
                return true;
            });
            nodeName = pod?["spec"]?["nodeName"]?.GetValue<string>();
            if (pod is null || string.IsNullOrEmpty(nodeName))
            {
                return;
            }
        }

        var node = allNodes.FirstOrDefault(n => ObjectFacts.Name(n) == nodeName);
        var hostNetwork = pod["spec"]?["hostNetwork"]?.GetValue<bool>() == true;
        // A NotReady node whose kubelet still reports (Ready=False, e.g. no CNI yet) runs host-network pods; one whose
        // kubelet is gone (Ready=Unknown) runs nothing.
        var kubeletReporting = node is not null && ObjectFacts.Condition(node, "Ready")?["status"]?.GetValue<string>() == "False";
        if (node is null || !(ObjectFacts.IsNodeReady(node) || (hostNetwork && kubeletReporting)))
        {
            return;
        }

        var hostIp = ObjectFacts.NodeInternalIp(node);
        var attachment = hostNetwork && hostIp is not null
            ? PodNetworkAttachment.Attached(hostIp)
            : cluster.PodNetwork.Attach((JsonObject)pod.DeepClone(), (JsonObject)node.DeepClone());
        var started = cluster.Now();
        cluster.Mutate(pods, ns, name, p =>
        {
            var status = Status(p);
            var containers = (p["spec"]?["containers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            var running = attachment.PodIp is not null;
            var before = status.DeepClone();
            status["phase"] = running ? "Running" : "Pending";
            if (hostIp is not null)
            {
                status["hostIP"] = hostIp;
                status["hostIPs"] = new JsonArray(new JsonObject { ["ip"] = hostIp });
            }

            status["startTime"] ??= started;
            var unready = $"containers with unready status: [{string.Join(" ", containers.Select(c => c["name"]?.GetValue<string>()))}]";
            status["conditions"] = new JsonArray(
                Condition("PodReadyToStartContainers", running ? "True" : "False", started),
                Condition("Initialized", "True", started),
                running ? Condition("Ready", "True", started) : Condition("Ready", "False", started, "ContainersNotReady", unready),
                running ? Condition("ContainersReady", "True", started) : Condition("ContainersReady", "False", started, "ContainersNotReady", unready),
                Condition("PodScheduled", "True", started));
            if (running)
            {
                status["podIP"] = attachment.PodIp;
                status["podIPs"] = new JsonArray(new JsonObject { ["ip"] = attachment.PodIp });
            }

            status["containerStatuses"] = new JsonArray([.. containers.Select(c => ContainerStatus(c, running, started, p))]);
            // Init containers ran to completion, in order, before the app containers started (the lab's all succeed:
            // istio-init's iptables rules, Cilium's mounts and config).
            var initContainers = (p["spec"]?["initContainers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            if (initContainers.Count > 0)
            {
                status["initContainerStatuses"] = new JsonArray([.. initContainers.Select(c => InitContainerStatus(c, running, started, p))]);
            }

            status["qosClass"] ??= "BestEffort";
            var wasPhase = before["phase"]?.GetValue<string>();
            var hadStatuses = before["containerStatuses"] is JsonArray { Count: > 0 };
            if (running && wasPhase != "Running")
            {
                foreach (var container in containers)
                {
                    var containerName = container["name"]?.GetValue<string>();
                    cluster.Events.Normal(p, "Pulled", $"Container image \"{container["image"]}\" already present on machine", "kubelet", nodeName);
                    cluster.Events.Normal(p, "Created", $"Created container {containerName}", "kubelet", nodeName);
                    cluster.Events.Normal(p, "Started", $"Started container {containerName}", "kubelet", nodeName);
                }
            }
            else if (!running && !hadStatuses && attachment.FailureMessage is not null)
            {
                cluster.Events.Warning(p, "NetworkNotReady", attachment.FailureMessage, "kubelet", nodeName);
            }

            return !JsonNode.DeepEquals(before, status);
        });
    }

    private JsonObject? Schedule(JsonObject pod, List<JsonObject> nodes, ResourceType pods)
    {
        var nodeSelector = pod["spec"]?["nodeSelector"] as JsonObject;
        var candidates = nodes.Where(n =>
            ObjectFacts.IsNodeReady(n)
            && n["spec"]?["unschedulable"]?.GetValue<bool>() != true
            && LabelSelector.FromMap(nodeSelector).MatchesObject(n)
            && ToleratesTaints(pod["spec"]?["tolerations"] as JsonArray, n, null)).ToList();
        if (candidates.Count == 0)
        {
            return null;
        }

        var load = cluster.Store.List(pods.StorageKey, null).Items
            .GroupBy(p => p["spec"]?["nodeName"]?.GetValue<string>() ?? "")
            .ToDictionary(g => g.Key, g => g.Count());
        return candidates.OrderBy(n => load.GetValueOrDefault(ObjectFacts.Name(n))).ThenBy(ObjectFacts.Name, StringComparer.Ordinal).First();
    }

    /// <summary>Whether the tolerations (plus <paramref name="extra"/>) tolerate every NoSchedule/NoExecute taint of the node.</summary>
    public static bool ToleratesTaints(JsonArray? tolerations, JsonObject node, JsonArray? extra)
    {
        var all = (tolerations ?? []).Concat(extra ?? []).OfType<JsonObject>().ToList();
        return (node["spec"]?["taints"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(t => t["effect"]?.GetValue<string>() is "NoSchedule" or "NoExecute")
            .All(t => all.Any(tol => Tolerates(tol, t)));
    }

    private static bool Tolerates(JsonObject toleration, JsonObject taint)
    {
        var key = toleration["key"]?.GetValue<string>() ?? "";
        var op = toleration["operator"]?.GetValue<string>() ?? "Equal";
        var effect = toleration["effect"]?.GetValue<string>() ?? "";
        if (effect.Length > 0 && effect != taint["effect"]?.GetValue<string>())
        {
            return false;
        }

        if (key.Length == 0)
        {
            return op == "Exists";
        }

        return key == taint["key"]?.GetValue<string>()
            && (op == "Exists" || (toleration["value"]?.GetValue<string>() ?? "") == (taint["value"]?.GetValue<string>() ?? ""));
    }

    /// <summary>An app container's status: running once the pod is, else still being created.</summary>
    private static JsonObject ContainerStatus(JsonObject container, bool running, string started, JsonObject pod) =>
        Status(container, running, started, pod, init: false);

    /// <summary>An init container's status: completed once the pod runs (the app containers start after it), else waiting.</summary>
    private static JsonObject InitContainerStatus(JsonObject container, bool podRunning, string started, JsonObject pod) =>
        Status(container, podRunning, started, pod, init: true);

    private static JsonObject Status(JsonObject container, bool running, string started, JsonObject pod, bool init)
    {
        var name = container["name"]?.GetValue<string>() ?? "";
        var image = container["image"]?.GetValue<string>() ?? "";
        var containerId = "containerd://" + Digest(ObjectFacts.Uid(pod) + "/" + name);
        var state = (running, init) switch
        {
            (false, false) => new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "ContainerCreating" } },
            (false, true) => new JsonObject { ["waiting"] = new JsonObject { ["reason"] = "PodInitializing" } },
            (true, false) => new JsonObject { ["running"] = new JsonObject { ["startedAt"] = started } },
            (true, true) => new JsonObject
            {
                ["terminated"] = new JsonObject
                {
                    ["containerID"] = containerId,
                    ["exitCode"] = 0,
                    ["finishedAt"] = started,
                    ["reason"] = "Completed",
                    ["startedAt"] = started,
                },
            },
        };
        var status = new JsonObject
        {
            ["image"] = NormalizeImage(image),
            ["imageID"] = running ? $"{NormalizeImage(image).Split(':')[0]}@sha256:{Digest(image)}" : "",
            ["lastState"] = new JsonObject(),
            ["name"] = name,
            ["ready"] = running,
            ["restartCount"] = 0,
            ["started"] = running && !init,
            ["state"] = state,
        };
        if (running)
        {
            status["containerID"] = containerId;
        }

        return status;
    }

    /// <summary>What containerd reports: <c>nginx:1.25</c> becomes <c>docker.io/library/nginx:1.25</c>.</summary>
    private static string NormalizeImage(string image)
    {
        var withTag = image.Contains('@') || image.LastIndexOf(':') > image.LastIndexOf('/') ? image : image + ":latest";
        var firstPart = withTag.Split('/')[0];
        return withTag.Contains('/') && (firstPart.Contains('.') || firstPart.Contains(':') || firstPart == "localhost")
            ? withTag
            : withTag.Contains('/') ? "docker.io/" + withTag : "docker.io/library/" + withTag;
    }

    private static string Digest(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static JsonObject Status(JsonObject pod)
    {
        if (pod["status"] is JsonObject status)
        {
            return status;
        }

        var created = new JsonObject { ["phase"] = "Pending" };
        pod["status"] = created;
        return created;
    }

    private static JsonObject Condition(string type, string status, string now, string? reason = null, string? message = null)
    {
        var condition = new JsonObject
        {
            ["lastProbeTime"] = null,
            ["lastTransitionTime"] = now,
            ["status"] = status,
            ["type"] = type,
        };
        if (reason is not null)
        {
            condition["reason"] = reason;
            condition["message"] = message;
        }

        return condition;
    }
}
