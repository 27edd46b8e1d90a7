using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// What deleting an object does in the apiserver and its controllers: a namespace turns Terminating (the namespace
/// controller empties and removes it later); a pod leaves the pod network; a CRD takes its custom resources with it;
/// the garbage collector deletes the dependents (by ownerReferences) with their owner, unless orphaned. Callers hold
/// the store's gate.
/// </summary>
internal sealed class ObjectDeletion(ClusterApi cluster)
{
    public JsonObject? Remove(ResourceType type, JsonObject existing, bool orphan)
    {
        if (type.Kind == "Namespace" && type.IsBuiltIn)
        {
            if (existing["metadata"]?["deletionTimestamp"] is not null)
            {
                return existing;
            }

            var terminating = (JsonObject)existing.DeepClone();
            terminating["metadata"]!["deletionTimestamp"] = cluster.Now();
            terminating["metadata"]!["deletionGracePeriodSeconds"] = 0;
            ((JsonObject)(terminating["status"] ??= new JsonObject()))["phase"] = "Terminating";
            return cluster.Store.Put(type.StorageKey, terminating);
        }

        return RemoveNow(type, existing, orphan);
    }

    /// <summary>The namespace controller's last step: delete everything in a Terminating namespace, then the namespace.</summary>
    public void FinalizeNamespace(string name)
    {
        var namespaces = cluster.Catalog.FindByPlural("", "v1", "namespaces")!;
        if (cluster.Store.Get(namespaces.StorageKey, null, name) is { } ns && ns["metadata"]?["deletionTimestamp"] is not null)
        {
            RemoveNow(namespaces, ns, orphan: false);
        }
    }

    private JsonObject? RemoveNow(ResourceType type, JsonObject existing, bool orphan)
    {
        var store = cluster.Store;
        var catalog = cluster.Catalog;
        var metadata = existing["metadata"]!;
        var @namespace = metadata["namespace"]?.GetValue<string>();
        var name = metadata["name"]!.GetValue<string>();
        var uid = metadata["uid"]?.GetValue<string>();
        var removed = store.Remove(type.StorageKey, @namespace, name);
        if (removed is null)
        {
            return null;
        }

        if (type.Kind == "Pod" && type.IsBuiltIn)
        {
            cluster.PodNetwork.Detach(removed);
        }

        if (type.Kind == "Namespace" && type.IsBuiltIn)
        {
            foreach (var namespacedType in catalog.All.Where(t => t.Namespaced).DistinctBy(t => t.StorageKey))
            {
                foreach (var item in store.List(namespacedType.StorageKey, name).Items)
                {
                    RemoveNow(namespacedType, item, orphan: true);
                }
            }
        }

        if (type.Kind == "CustomResourceDefinition" && type.IsBuiltIn)
        {
            CustomResourceAcceptance.Withdraw(catalog, store, name);
        }

        if (!orphan && uid is not null)
        {
            // The garbage collector: dependents go with their owner (background propagation, done at once).
            foreach (var dependentType in catalog.All.DistinctBy(t => t.StorageKey))
            {
                foreach (var dependent in store.List(dependentType.StorageKey, dependentType.Namespaced ? @namespace : null,
                    o => o["metadata"]?["ownerReferences"] is JsonArray refs && refs.Any(r => r?["uid"]?.GetValue<string>() == uid)).Items)
                {
                    RemoveNow(dependentType, dependent, orphan: false);
                }
            }
        }

        return removed;
    }
}
