using System.Globalization;
using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// The deployment controller: one ReplicaSet per distinct pod template (named <c>&lt;deployment&gt;-&lt;pod-template-hash&gt;</c>);
/// a rolling update grows the new one within maxSurge and shrinks the old ones within maxUnavailable (so a rollout whose
/// pods never become available stalls, as in reality), Recreate empties the old ones first; and the status
/// <c>kubectl rollout status</c> reads (observedGeneration, replicas, updated/ready/available, conditions).
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

        var olds = owned.Where(rs => newReplicaSet is null || ObjectFacts.Uid(rs) != ObjectFacts.Uid(newReplicaSet))
            .OrderBy(Revision).ThenBy(ObjectFacts.Name, StringComparer.Ordinal).ToList();
        var recreate = spec["strategy"]?["type"]?.GetValue<string>() == "Recreate";
        var maxSurge = MaxSurge(spec, desired);
        var maxUnavailable = MaxUnavailable(spec, desired);
        if (maxSurge == 0 && maxUnavailable == 0)
        {
            maxUnavailable = 1;
        }

        int Replicas(JsonObject rs) => ObjectFacts.Int(rs["spec"]!["replicas"]);
        int Available(JsonObject rs) => ObjectFacts.Int(rs["status"]?["availableReplicas"]);

        if (paused)
        {
            UpdateStatus(deployments, replicaSets, ns, name, uid, newReplicaSet, desired);
            return;
        }

        // How many pods the new ReplicaSet may have now: all of them at once for a first rollout or Recreate (once
        // the old pods are gone), otherwise as many as maxSurge allows above the desired count.
        int target;
        if (recreate)
        {
            foreach (var old in olds.Where(rs => Replicas(rs) > 0))
            {
                Scale(replicaSets, deployment, old, 0);
            }

            var oldPodsLeft = olds.Sum(rs => ObjectFacts.Int(rs["status"]?["replicas"]));
            target = oldPodsLeft > 0 ? (newReplicaSet is null ? 0 : Replicas(newReplicaSet)) : desired;
        }
        else
        {
            var current = newReplicaSet is null ? 0 : Replicas(newReplicaSet);
            var headroom = desired + maxSurge - (olds.Sum(Replicas) + current);
            target = current >= desired ? desired : current + Math.Clamp(headroom, 0, desired - current);
        }

        if (newReplicaSet is null)
        {
            var labels = (JsonObject?)template["metadata"]?["labels"]?.DeepClone() ?? new JsonObject();
            labels["pod-template-hash"] = hash;
            ((JsonObject)template["metadata"]!)["labels"] = labels.DeepClone();
            var selector = (JsonObject)spec["selector"]!.DeepClone();
            var matchLabels = selector["matchLabels"] as JsonObject ?? new JsonObject();
            matchLabels["pod-template-hash"] = hash;
            selector["matchLabels"] = matchLabels;
            newReplicaSet = cluster.CreateTrusted(replicaSets, ns, new JsonObject
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
                        ["deployment.kubernetes.io/max-replicas"] = (desired + maxSurge).ToString(CultureInfo.InvariantCulture),
                        [RevisionAnnotation] = (maxRevision + 1).ToString(CultureInfo.InvariantCulture),
                    },
                    ["ownerReferences"] = new JsonArray(ObjectFacts.ControllerReference("apps/v1", "Deployment", deployment)),
                },
                ["spec"] = new JsonObject
                {
                    ["replicas"] = target,
                    ["minReadySeconds"] = ObjectFacts.Int(spec["minReadySeconds"]),
                    ["selector"] = selector,
                    ["template"] = template,
                },
            });
            if (target > 0)
            {
                cluster.Events.Normal(deployment, "ScalingReplicaSet", $"Scaled up replica set {name}-{hash} from 0 to {target}", "deployment-controller");
            }
        }
        else
        {
            if (Revision(newReplicaSet) < maxRevision)
            {
                // Rolling back to an older template makes its ReplicaSet the newest revision again.
                newReplicaSet = cluster.Mutate(replicaSets, ns, ObjectFacts.Name(newReplicaSet), rs =>
                {
                    rs["metadata"]!["annotations"]![RevisionAnnotation] = (maxRevision + 1).ToString(CultureInfo.InvariantCulture);
                    return true;
                }) ?? newReplicaSet;
            }

            if (Replicas(newReplicaSet) != target)
            {
                newReplicaSet = Scale(replicaSets, deployment, newReplicaSet, target) ?? newReplicaSet;
            }
        }

        if (!recreate && olds.Count > 0)
        {
            // The old ReplicaSets shrink as far as maxUnavailable allows: unhealthy pods first, then available ones.
            var minAvailable = desired - maxUnavailable;
            var remaining = olds.ToDictionary(ObjectFacts.Name, Replicas, StringComparer.Ordinal);
            var totalSpec = remaining.Values.Sum() + Replicas(newReplicaSet);
            var newUnavailable = Math.Max(0, Replicas(newReplicaSet) - Available(newReplicaSet));
            var maxScaledDown = totalSpec - minAvailable - newUnavailable;
            foreach (var old in olds)
            {
                var unhealthy = Math.Max(0, remaining[ObjectFacts.Name(old)] - Available(old));
                var take = Math.Min(unhealthy, Math.Max(0, maxScaledDown));
                remaining[ObjectFacts.Name(old)] -= take;
                maxScaledDown -= take;
            }

            var budget = olds.Sum(Available) + Available(newReplicaSet) - minAvailable;
            foreach (var old in olds)
            {
                var take = Math.Min(remaining[ObjectFacts.Name(old)], Math.Max(0, budget));
                remaining[ObjectFacts.Name(old)] -= take;
                budget -= take;
            }

            foreach (var old in olds.Where(rs => remaining[ObjectFacts.Name(rs)] != Replicas(rs)))
            {
                Scale(replicaSets, deployment, old, remaining[ObjectFacts.Name(old)]);
            }
        }

        UpdateStatus(deployments, replicaSets, ns, name, uid, newReplicaSet, desired);
    }

    private JsonObject? Scale(ResourceType replicaSets, JsonObject deployment, JsonObject replicaSet, int replicas) =>
        cluster.Mutate(replicaSets, ObjectFacts.Namespace(replicaSet), ObjectFacts.Name(replicaSet), rs =>
        {
            var current = ObjectFacts.Int(rs["spec"]!["replicas"]);
            if (current == replicas)
            {
                return false;
            }

            cluster.Events.Normal(deployment, "ScalingReplicaSet",
                $"Scaled {(replicas > current ? "up" : "down")} replica set {ObjectFacts.Name(rs)} from {current} to {replicas}", "deployment-controller");
            rs["spec"]!["replicas"] = replicas;
            var annotations = rs["metadata"]!["annotations"] as JsonObject;
            if (annotations is not null && annotations.ContainsKey("deployment.kubernetes.io/desired-replicas"))
            {
                annotations["deployment.kubernetes.io/desired-replicas"] = ObjectFacts.Int(deployment["spec"]!["replicas"], 1).ToString(CultureInfo.InvariantCulture);
            }

            return true;
        });

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
