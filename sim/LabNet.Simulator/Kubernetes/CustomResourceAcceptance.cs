using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// The apiextensions controller's part: a CustomResourceDefinition gets its accepted names and the NamesAccepted and
/// Established conditions, its kind is served from then on, and deleting it deletes its custom resources.
/// </summary>
internal static class CustomResourceAcceptance
{
    /// <summary>Writes the status a real apiserver gives a CRD it accepted.</summary>
    public static void Accept(JsonObject crd, string now)
    {
        var spec = crd["spec"]!;
        var names = (JsonObject)spec["names"]!.DeepClone();
        names["singular"] ??= names["kind"]!.GetValue<string>().ToLowerInvariant();
        names["listKind"] ??= names["kind"]!.GetValue<string>() + "List";
        var storage = (spec["versions"] as JsonArray)!.First(v => v?["storage"]?.GetValue<bool>() == true)!["name"]!.GetValue<string>();
        crd["status"] = new JsonObject
        {
            ["acceptedNames"] = names,
            ["conditions"] = new JsonArray(
                Condition("NamesAccepted", "NoConflicts", "no conflicts found", now),
                Condition("Established", "InitialNamesAccepted", "the initial names have been accepted", now)),
            ["storedVersions"] = new JsonArray(storage),
        };
    }

    /// <summary>Serves the kind a stored CRD defines (or its new schema and columns).</summary>
    public static void Serve(ResourceCatalog catalog, JsonObject storedCrd) =>
        catalog.SetCustomResource(storedCrd["metadata"]!["name"]!.GetValue<string>(), storedCrd);

    /// <summary>Stops serving the kind of a deleted CRD and deletes its objects.</summary>
    public static void Withdraw(ResourceCatalog catalog, ClusterObjectStore store, string crdName)
    {
        var served = catalog.All.FirstOrDefault(t => !t.IsBuiltIn && $"{t.Plural}.{t.Group}" == crdName);
        catalog.SetCustomResource(crdName, null);
        if (served is null)
        {
            return;
        }

        foreach (var item in store.List(served.StorageKey, null).Items)
        {
            store.Remove(served.StorageKey, item["metadata"]!["namespace"]?.GetValue<string>(), item["metadata"]!["name"]!.GetValue<string>());
        }
    }

    private static JsonObject Condition(string type, string reason, string message, string now) => new()
    {
        ["lastTransitionTime"] = now,
        ["message"] = message,
        ["reason"] = reason,
        ["status"] = "True",
        ["type"] = type,
    };
}
