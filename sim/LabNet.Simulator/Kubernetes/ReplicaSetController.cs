using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>The ReplicaSet controller: keeps <c>spec.replicas</c> pods from the template (named <c>&lt;rs&gt;-&lt;5 chars&gt;</c>) and reports their counts.</summary>
internal sealed class ReplicaSetController(ClusterApi cluster)
{
    public void Reconcile(string ns, string name)
    {
        var replicaSets = cluster.Catalog.FindByPlural("apps", "v1", "replicasets")!;
        var pods = cluster.Catalog.FindByPlural("", "v1", "pods")!;
        var replicaSet = cluster.Store.Get(replicaSets.StorageKey, ns, name);
        if (replicaSet is null)
        {
            return;
        }

        var uid = ObjectFacts.Uid(replicaSet);
        var desired = ObjectFacts.Int(replicaSet["spec"]!["replicas"], 1);
        var owned = cluster.Store.List(pods.StorageKey, ns, p => ObjectFacts.IsOwnedBy(p, uid)).Items;
        if (owned.Count < desired)
        {
            var template = replicaSet["spec"]!["template"]!;
            for (var i = owned.Count; i < desired; i++)
            {
                string podName;
                do
                {
                    podName = $"{name}-{cluster.Names.RandomSuffix(5)}";
                }
                while (cluster.Store.Get(pods.StorageKey, ns, podName) is not null);

                var metadata = (JsonObject?)template["metadata"]?.DeepClone() ?? new JsonObject();
                metadata.Remove("creationTimestamp");
                metadata["name"] = podName;
                metadata["generateName"] = name + "-";
                metadata["namespace"] = ns;
                metadata["ownerReferences"] = new JsonArray(ObjectFacts.ControllerReference("apps/v1", "ReplicaSet", replicaSet));
                cluster.CreateTrusted(pods, ns, new JsonObject
                {
                    ["apiVersion"] = "v1",
                    ["kind"] = "Pod",
                    ["metadata"] = metadata,
                    ["spec"] = template["spec"]!.DeepClone(),
                });
                cluster.Events.Normal(replicaSet, "SuccessfulCreate", $"Created pod: {podName}", "replicaset-controller");
            }
        }
        else if (owned.Count > desired)
        {
            // Like the real controller: delete unscheduled, then not-ready, then the newest pods first.
            var victims = owned
                .OrderBy(p => p["spec"]?["nodeName"] is null ? 0 : 1)
                .ThenBy(p => ObjectFacts.IsPodReady(p) ? 1 : 0)
                .ThenByDescending(p => p["metadata"]!["creationTimestamp"]!.GetValue<string>(), StringComparer.Ordinal)
                .ThenByDescending(p => ObjectFacts.Name(p), StringComparer.Ordinal)
                .Take(owned.Count - desired);
            foreach (var pod in victims.ToList())
            {
                cluster.DeleteTrusted(pods, ns, ObjectFacts.Name(pod));
                cluster.Events.Normal(replicaSet, "SuccessfulDelete", $"Deleted pod: {ObjectFacts.Name(pod)}", "replicaset-controller");
            }
        }

        var current = cluster.Store.List(pods.StorageKey, ns, p => ObjectFacts.IsOwnedBy(p, uid)).Items;
        var ready = current.Count(ObjectFacts.IsPodReady);
        cluster.Mutate(replicaSets, ns, name, rs =>
        {
            var status = new JsonObject
            {
                ["replicas"] = current.Count,
                ["fullyLabeledReplicas"] = current.Count,
                ["observedGeneration"] = rs["metadata"]!["generation"]!.DeepClone(),
            };
            if (current.Count == 0)
            {
                status.Remove("fullyLabeledReplicas");
            }

            if (ready > 0)
            {
                status["readyReplicas"] = ready;
                status["availableReplicas"] = ready;
            }

            if (JsonNode.DeepEquals(rs["status"], status))
            {
                return false;
            }

            rs["status"] = status;
            return true;
        });
    }
}
