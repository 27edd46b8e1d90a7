using System.Globalization;
using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// The DaemonSet controller: one pod per node that the template's node selector and tolerations allow (bound to the
/// node directly, so it runs even before the node is Ready, as Cilium's agent must), pods of an older
/// <c>pod-template-generation</c> replaced, and the status <c>kubectl get ds</c> shows.
/// </summary>
internal sealed class DaemonSetController(ClusterApi cluster)
{
    private const string TemplateGenerationLabel = "pod-template-generation";

    public void Reconcile(string ns, string name)
    {
        var daemonSets = cluster.Catalog.FindByPlural("apps", "v1", "daemonsets")!;
        var pods = cluster.Catalog.FindByPlural("", "v1", "pods")!;
        var nodes = cluster.Catalog.FindByPlural("", "v1", "nodes")!;
        var daemonSet = cluster.Store.Get(daemonSets.StorageKey, ns, name);
        if (daemonSet is null)
        {
            return;
        }

        var uid = ObjectFacts.Uid(daemonSet);
        var generation = ObjectFacts.Long(daemonSet["metadata"]!["generation"], 1).ToString(CultureInfo.InvariantCulture);
        var template = daemonSet["spec"]!["template"]!;
        var eligible = cluster.Store.List(nodes.StorageKey, null).Items
            .Where(node => LabelSelector.FromMap(template["spec"]?["nodeSelector"] as JsonObject).MatchesObject(node)
                && PodLifecycle.ToleratesTaints(template["spec"]?["tolerations"] as JsonArray, node, DaemonTolerations))
            .Select(ObjectFacts.Name).ToHashSet(StringComparer.Ordinal);
        var owned = cluster.Store.List(pods.StorageKey, ns, p => ObjectFacts.IsOwnedBy(p, uid)).Items;

        foreach (var pod in owned)
        {
            var node = pod["spec"]?["nodeName"]?.GetValue<string>() ?? "";
            var outdated = pod["metadata"]?["labels"]?[TemplateGenerationLabel]?.GetValue<string>() != generation;
            if (!eligible.Contains(node) || outdated)
            {
                cluster.DeleteTrusted(pods, ns, ObjectFacts.Name(pod));
            }
        }

        var covered = cluster.Store.List(pods.StorageKey, ns, p => ObjectFacts.IsOwnedBy(p, uid)).Items
            .Select(p => p["spec"]?["nodeName"]?.GetValue<string>() ?? "").ToHashSet(StringComparer.Ordinal);
        foreach (var node in eligible.Where(n => !covered.Contains(n)).Order(StringComparer.Ordinal))
        {
            string podName;
            do
            {
                podName = $"{name}-{cluster.Names.RandomSuffix(5)}";
            }
            while (cluster.Store.Get(pods.StorageKey, ns, podName) is not null);

            var metadata = (JsonObject?)template["metadata"]?.DeepClone() ?? new JsonObject();
            metadata.Remove("creationTimestamp");
            var labels = metadata["labels"] as JsonObject ?? new JsonObject();
            labels[TemplateGenerationLabel] = generation;
            metadata["labels"] = labels;
            metadata["name"] = podName;
            metadata["generateName"] = name + "-";
            metadata["namespace"] = ns;
            metadata["ownerReferences"] = new JsonArray(ObjectFacts.ControllerReference("apps/v1", "DaemonSet", daemonSet));
            var spec = (JsonObject)template["spec"]!.DeepClone();
            spec["nodeName"] = node;
            cluster.CreateTrusted(pods, ns, new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Pod", ["metadata"] = metadata, ["spec"] = spec });
            cluster.Events.Normal(daemonSet, "SuccessfulCreate", $"Created pod: {podName}", "daemonset-controller");
        }

        var current = cluster.Store.List(pods.StorageKey, ns, p => ObjectFacts.IsOwnedBy(p, uid)).Items;
        var ready = current.Count(ObjectFacts.IsPodReady);
        cluster.Mutate(daemonSets, ns, name, ds =>
        {
            var status = new JsonObject
            {
                ["currentNumberScheduled"] = current.Count,
                ["desiredNumberScheduled"] = eligible.Count,
                ["numberMisscheduled"] = 0,
                ["numberReady"] = ready,
                ["observedGeneration"] = ds["metadata"]!["generation"]!.DeepClone(),
                ["updatedNumberScheduled"] = current.Count,
            };
            if (ready > 0)
            {
                status["numberAvailable"] = ready;
            }

            if (eligible.Count - ready > 0)
            {
                status["numberUnavailable"] = eligible.Count - ready;
            }

            if (JsonNode.DeepEquals(ds["status"], status))
            {
                return false;
            }

            ds["status"] = status;
            return true;
        });
    }

    /// <summary>What the DaemonSet controller adds to every daemon pod, so it runs on nodes that are not Ready yet.</summary>
    private static readonly JsonArray DaemonTolerations =
    [
        new JsonObject { ["key"] = "node.kubernetes.io/not-ready", ["operator"] = "Exists", ["effect"] = "NoExecute" },
        new JsonObject { ["key"] = "node.kubernetes.io/unreachable", ["operator"] = "Exists", ["effect"] = "NoExecute" },
        new JsonObject { ["key"] = "node.kubernetes.io/disk-pressure", ["operator"] = "Exists", ["effect"] = "NoSchedule" },
        new JsonObject { ["key"] = "node.kubernetes.io/memory-pressure", ["operator"] = "Exists", ["effect"] = "NoSchedule" },
        new JsonObject { ["key"] = "node.kubernetes.io/pid-pressure", ["operator"] = "Exists", ["effect"] = "NoSchedule" },
        new JsonObject { ["key"] = "node.kubernetes.io/unschedulable", ["operator"] = "Exists", ["effect"] = "NoSchedule" },
    ];
}
