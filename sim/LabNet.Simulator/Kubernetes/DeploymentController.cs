using System.Globalization;
using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// The deployment controller: one ReplicaSet per distinct pod template (named <c>&lt;deployment&gt;-&lt;pod-template-hash&gt;</c>),
/// the new one scaled to the desired replicas, the old ones scaled to zero once the new one is available, and the
/// status <c>kubectl rollout status</c> reads (observedGeneration, replicas, updated/ready/available, conditions).
/// </summary>
internal sealed class DeploymentController(ClusterApi cluster)
{
    private const string RevisionAnnotation = "deployment.kubernetes.io/revision";

    public void Reconcile(string ns, string name)
    {
        var deployments = cluster.Catalog.FindByPlural("apps", "v1", "deployments")!;
        var replicaSets = cluster.Catalog.FindByPlural("apps", "v1", "replicasets")!;
        var deployment = cluster.Store.Get(deployments.StorageKey, ns, name);
        if (deployment is null)
        {
            return;
        }

        var uid = ObjectFacts.Uid(deployment);
        var spec = deployment["spec"]!;
        var desired = ObjectFacts.Int(spec["replicas"], 1);
        var template = (JsonObject)spec["template"]!.DeepClone();
        var hash = ObjectFacts.TemplateHash(template);
        var owned = cluster.Store.List(replicaSets.StorageKey, ns, rs => ObjectFacts.IsOwnedBy(rs, uid)).Items;
        var newReplicaSet = owned.FirstOrDefault(rs => rs["metadata"]?["labels"]?["pod-template-hash"]?.GetValue<string>() == hash);
        var maxRevision = owned.Select(Revision).DefaultIfEmpty(0).Max();
        var paused = spec["paused"]?.GetValue<bool>() == true;

        if (newReplicaSet is null && !paused)
        {
            var labels = (JsonObject?)template["metadata"]?["labels"]?.DeepClone() ?? new JsonObject();
            labels["pod-template-hash"] = hash;
            ((JsonObject)template["metadata"]!)["labels"] = labels.DeepClone();
            var selector = (JsonObject)spec["selector"]!.DeepClone();
            var matchLabels = selector["matchLabels"] as JsonObject ?? new JsonObject();
            matchLabels["pod-template-hash"] = hash;
            selector["matchLabels"] = matchLabels;
            var created = cluster.CreateTrusted(replicaSets, ns, new JsonObject
            {
                ["apiVersion"] = "apps/v1",
                ["kind"] = "ReplicaSet",
                ["metadata"] = new JsonObject
                {
                    ["name"] = $"{name}-{hash}",
                    ["namespace"] = ns,
                    ["labels"] = labels,
                    ["annotations"] = new JsonObject
                    {
                        ["deployment.kubernetes.io/desired-replicas"] = desired.ToString(CultureInfo.InvariantCulture),
                        ["deployment.kubernetes.io/max-replicas"] = (desired + MaxSurge(spec, desired)).ToString(CultureInfo.InvariantCulture),
                        [RevisionAnnotation] = (maxRevision + 1).ToString(CultureInfo.InvariantCulture),
                    },
                    ["ownerReferences"] = new JsonArray(ObjectFacts.ControllerReference("apps/v1", "Deployment", deployment)),
                },
                ["spec"] = new JsonObject
                {
                    ["replicas"] = desired,
                    ["minReadySeconds"] = ObjectFacts.Int(spec["minReadySeconds"]),
                    ["selector"] = selector,
                    ["template"] = template,
                },
            });
            cluster.Events.Normal(deployment, "ScalingReplicaSet", $"Scaled up replica set {name}-{hash} from 0 to {desired}", "deployment-controller");
            newReplicaSet = created;
        }
        else if (newReplicaSet is not null)
        {
            var needsRevision = Revision(newReplicaSet) < maxRevision;
            newReplicaSet = cluster.Mutate(replicaSets, ns, ObjectFacts.Name(newReplicaSet), rs =>
            {
                var changed = false;
                var current = ObjectFacts.Int(rs["spec"]!["replicas"]);
                if (current != desired && !paused)
                {
                    cluster.Events.Normal(deployment, "ScalingReplicaSet",
                        $"Scaled {(desired > current ? "up" : "down")} replica set {ObjectFacts.Name(rs)} from {current} to {desired}", "deployment-controller");
                    rs["spec"]!["replicas"] = desired;
                    rs["metadata"]!["annotations"]!["deployment.kubernetes.io/desired-replicas"] = desired.ToString(CultureInfo.InvariantCulture);
                    changed = true;
                }

                if (needsRevision)
                {
                    rs["metadata"]!["annotations"]![RevisionAnnotation] = (maxRevision + 1).ToString(CultureInfo.InvariantCulture);
                    changed = true;
                }

                return changed;
            }) ?? newReplicaSet;
        }

        var newAvailable = newReplicaSet is not null && ObjectFacts.Int(newReplicaSet["status"]?["availableReplicas"]) >= desired
            && ObjectFacts.Int(newReplicaSet["spec"]!["replicas"]) == desired;
        if (newAvailable || spec["strategy"]?["type"]?.GetValue<string>() == "Recreate")
        {
            foreach (var old in owned.Where(rs => newReplicaSet is null || ObjectFacts.Uid(rs) != ObjectFacts.Uid(newReplicaSet)))
            {
                cluster.Mutate(replicaSets, ns, ObjectFacts.Name(old), rs =>
                {
                    var current = ObjectFacts.Int(rs["spec"]!["replicas"]);
                    if (current == 0)
                    {
                        return false;
                    }

                    cluster.Events.Normal(deployment, "ScalingReplicaSet", $"Scaled down replica set {ObjectFacts.Name(rs)} from {current} to 0", "deployment-controller");
                    rs["spec"]!["replicas"] = 0;
                    return true;
                });
            }
        }

        UpdateStatus(deployments, replicaSets, ns, name, uid, newReplicaSet, desired);
    }

    private void UpdateStatus(ResourceType deployments, ResourceType replicaSets, string ns, string name, string uid, JsonObject? newReplicaSet, int desired)
    {
        var owned = cluster.Store.List(replicaSets.StorageKey, ns, rs => ObjectFacts.IsOwnedBy(rs, uid)).Items;
        int Sum(string field) => owned.Sum(rs => ObjectFacts.Int(rs["status"]?[field]));
        var replicas = Sum("replicas");
        var ready = Sum("readyReplicas");
        var available = Sum("availableReplicas");
        var current = newReplicaSet is null ? null : owned.FirstOrDefault(rs => ObjectFacts.Uid(rs) == ObjectFacts.Uid(newReplicaSet));
        var updated = current is null ? 0 : ObjectFacts.Int(current["status"]?["replicas"]);
        var newName = current is null ? "" : ObjectFacts.Name(current);
        var newComplete = current is not null && updated == desired && ObjectFacts.Int(current["status"]?["availableReplicas"]) >= desired && replicas == updated;

        cluster.Mutate(deployments, ns, name, deployment =>
        {
            var spec = deployment["spec"]!;
            var maxUnavailable = MaxUnavailable(spec, desired);
            var now = cluster.Now();
            var previous = deployment["status"] as JsonObject;
            var status = new JsonObject { ["observedGeneration"] = deployment["metadata"]!["generation"]!.DeepClone() };
            if (replicas > 0)
            {
                status["replicas"] = replicas;
            }

            if (updated > 0)
            {
                status["updatedReplicas"] = updated;
            }

            if (ready > 0)
            {
                status["readyReplicas"] = ready;
            }

            if (available > 0)
            {
                status["availableReplicas"] = available;
            }

            if (desired - available > 0)
            {
                status["unavailableReplicas"] = desired - available;
            }

            var isAvailable = available >= desired - maxUnavailable;
            status["conditions"] = new JsonArray(
                Condition(previous, "Available", isAvailable ? "True" : "False",
                    isAvailable ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                    isAvailable ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", now),
                Condition(previous, "Progressing", "True",
                    newComplete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
                    newComplete ? $"ReplicaSet \"{newName}\" has successfully progressed." : $"ReplicaSet \"{newName}\" is progressing.", now));

            var changed = !JsonNode.DeepEquals(StripTimes(previous), StripTimes(status));
            if (changed)
            {
                deployment["status"] = status;
            }

            if (current is not null && current["metadata"]?["annotations"]?[RevisionAnnotation]?.GetValue<string>() is { } revision)
            {
                var metadata = (JsonObject)deployment["metadata"]!;
                var annotations = metadata["annotations"] as JsonObject ?? new JsonObject();
                metadata["annotations"] = annotations;
                if (annotations[RevisionAnnotation]?.GetValue<string>() != revision)
                {
                    annotations[RevisionAnnotation] = revision;
                    changed = true;
                }
            }

            return changed;
        });
    }

    /// <summary>Keeps the times of a condition whose status and reason did not change, as the real controller does.</summary>
    private static JsonObject Condition(JsonObject? previousStatus, string type, string status, string reason, string message, string now)
    {
        var previous = (previousStatus?["conditions"] as JsonArray)?.OfType<JsonObject>().FirstOrDefault(c => c["type"]?.GetValue<string>() == type);
        var same = previous?["status"]?.GetValue<string>() == status && previous?["reason"]?.GetValue<string>() == reason;
        var sameStatus = previous?["status"]?.GetValue<string>() == status;
        return new JsonObject
        {
            ["lastTransitionTime"] = sameStatus ? previous!["lastTransitionTime"]!.DeepClone() : now,
            ["lastUpdateTime"] = same ? previous!["lastUpdateTime"]!.DeepClone() : now,
            ["message"] = message,
            ["reason"] = reason,
            ["status"] = status,
            ["type"] = type,
        };
    }

    private static JsonNode? StripTimes(JsonObject? status)
    {
        if (status?.DeepClone() is not JsonObject copy)
        {
            return null;
        }

        foreach (var condition in (copy["conditions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            condition.Remove("lastTransitionTime");
            condition.Remove("lastUpdateTime");
        }

        return copy;
    }

    private static int Revision(JsonObject rs) =>
        int.TryParse(rs["metadata"]?["annotations"]?[RevisionAnnotation]?.GetValue<string>(), out var revision) ? revision : 0;

    private static int MaxSurge(JsonNode spec, int desired) => Scaled(spec["strategy"]?["rollingUpdate"]?["maxSurge"], desired, roundUp: true);

    private static int MaxUnavailable(JsonNode spec, int desired) => Scaled(spec["strategy"]?["rollingUpdate"]?["maxUnavailable"], desired, roundUp: false);

    private static int Scaled(JsonNode? value, int desired, bool roundUp)
    {
        if (value is not JsonValue v)
        {
            return 0;
        }

        if (ObjectFacts.IsNumber(v))
        {
            return ObjectFacts.Int(v);
        }

        var text = v.GetValue<string>().TrimEnd('%');
        var percent = int.TryParse(text, out var p) ? p : 0;
        var scaled = desired * percent / 100.0;
        return roundUp ? (int)Math.Ceiling(scaled) : (int)Math.Floor(scaled);
    }
}
