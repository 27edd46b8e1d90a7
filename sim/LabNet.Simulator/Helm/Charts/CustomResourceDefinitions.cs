using System.Text.Json.Nodes;

namespace LabNet.Simulator.Helm.Charts;

/// <summary>Builds apiextensions.k8s.io/v1 CustomResourceDefinitions in the wire form the API server stores.</summary>
public static class CustomResourceDefinitions
{
    public sealed record Spec(string Group, string Kind, string Plural, string[] ShortNames, bool Namespaced, string[] Versions, string[] Categories);

    public static JsonObject Build(Spec spec, JsonObject? labels = null)
    {
        var versions = new JsonArray();
        foreach (var version in spec.Versions)
        {
            versions.Add(new JsonObject
            {
                ["name"] = version,
                ["served"] = true,
                ["storage"] = version == spec.Versions[^1],
                ["schema"] = new JsonObject
                {
                    ["openAPIV3Schema"] = new JsonObject { ["type"] = "object", ["x-kubernetes-preserve-unknown-fields"] = true },
                },
                ["subresources"] = new JsonObject { ["status"] = new JsonObject() },
            });
        }

        var names = new JsonObject
        {
            ["kind"] = spec.Kind,
            ["listKind"] = spec.Kind + "List",
            ["plural"] = spec.Plural,
            ["singular"] = spec.Kind.ToLowerInvariant(),
        };
        if (spec.ShortNames.Length > 0)
        {
            names["shortNames"] = new JsonArray(spec.ShortNames.Select(s => (JsonNode)JsonValue.Create(s)).ToArray());
        }

        if (spec.Categories.Length > 0)
        {
            names["categories"] = new JsonArray(spec.Categories.Select(s => (JsonNode)JsonValue.Create(s)).ToArray());
        }

        var metadata = new JsonObject { ["name"] = $"{spec.Plural}.{spec.Group}" };
        if (labels is not null)
        {
            metadata["labels"] = labels.DeepClone();
        }

        return new JsonObject
        {
            ["apiVersion"] = "apiextensions.k8s.io/v1",
            ["kind"] = "CustomResourceDefinition",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject
            {
                ["group"] = spec.Group,
                ["names"] = names,
                ["scope"] = spec.Namespaced ? "Namespaced" : "Cluster",
                ["versions"] = versions,
            },
            ["status"] = new JsonObject
            {
                ["acceptedNames"] = names.DeepClone(),
                ["conditions"] = new JsonArray(
                    new JsonObject { ["type"] = "NamesAccepted", ["status"] = "True", ["reason"] = "NoConflicts", ["message"] = "no conflicts found" },
                    new JsonObject { ["type"] = "Established", ["status"] = "True", ["reason"] = "InitialNamesAccepted", ["message"] = "the initial names have been accepted" }),
                ["storedVersions"] = new JsonArray(spec.Versions[^1]),
            },
        };
    }
}
