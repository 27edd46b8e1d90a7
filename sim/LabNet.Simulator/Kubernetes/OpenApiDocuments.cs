using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// The OpenAPI v3 documents (<c>/openapi/v3</c> and one per group-version). kubectl reads them to learn that the server
/// validates fields itself (the <c>fieldValidation</c> parameter of each PATCH operation) and which patch types it
/// accepts. Strategic merge patch is not advertised, so kubectl computes it from its compiled-in types for built-in
/// kinds and uses JSON merge patch for custom resources, as it does against a real cluster for CRDs.
/// </summary>
public static class OpenApiDocuments
{
    public static JsonObject Index(ResourceCatalog catalog, ClusterBootstrap bootstrap, string pathPrefix)
    {
        var paths = new JsonObject();
        foreach (var (group, versions) in catalog.Groups)
        {
            foreach (var version in versions)
            {
                var key = GroupVersionPath(group, version);
                var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(ForGroupVersion(catalog, bootstrap, group, version)!.ToJsonString()))).ToUpperInvariant();
                paths[key] = new JsonObject { ["serverRelativeURL"] = $"{pathPrefix}/openapi/v3/{key}?hash={hash}" };
            }
        }

        return new JsonObject { ["paths"] = paths };
    }

    public static string GroupVersionPath(string group, string version) => group.Length == 0 ? $"api/{version}" : $"apis/{group}/{version}";

    public static JsonObject? ForGroupVersion(ResourceCatalog catalog, ClusterBootstrap bootstrap, string group, string version)
    {
        var types = catalog.InGroupVersion(group, version).ToList();
        if (types.Count == 0)
        {
            return null;
        }

        var paths = new JsonObject();
        var schemas = new JsonObject();
        var root = "/" + GroupVersionPath(group, version);
        foreach (var type in types)
        {
            var gvk = new JsonObject { ["group"] = type.Group, ["version"] = type.Version, ["kind"] = type.Kind };
            var schemaName = SchemaName(type);
            var schema = (type.Schema ?? BuiltInSchemas.Loose).ToOpenApiV3();
            schema["x-kubernetes-group-version-kind"] = new JsonArray(gvk.DeepClone());
            schemas[schemaName] = schema;
            var reference = new JsonObject { ["$ref"] = $"#/components/schemas/{schemaName}" };
            var collection = type.Namespaced ? $"{root}/namespaces/{{namespace}}/{type.Plural}" : $"{root}/{type.Plural}";
            var item = collection + "/{name}";
            paths[collection] = new JsonObject
            {
                ["get"] = Operation("list", type, gvk, reference, []),
                ["post"] = Operation("post", type, gvk, reference, ["dryRun", "fieldManager", "fieldValidation"], "application/json"),
                ["delete"] = Operation("deletecollection", type, gvk, reference, ["dryRun"]),
            };
            paths[item] = new JsonObject
            {
                ["get"] = Operation("get", type, gvk, reference, []),
                ["put"] = Operation("put", type, gvk, reference, ["dryRun", "fieldManager", "fieldValidation"], "application/json"),
                ["patch"] = Operation("patch", type, gvk, reference, ["dryRun", "fieldManager", "fieldValidation", "force"],
                    PatchTypes.Json, PatchTypes.Merge, PatchTypes.Apply),
                ["delete"] = Operation("delete", type, gvk, reference, ["dryRun"]),
            };
            if (type.HasStatusSubresource)
            {
                paths[item + "/status"] = new JsonObject
                {
                    ["get"] = Operation("get", type, gvk, reference, []),
                    ["put"] = Operation("put", type, gvk, reference, ["dryRun", "fieldManager", "fieldValidation"], "application/json"),
                    ["patch"] = Operation("patch", type, gvk, reference, ["dryRun", "fieldManager", "fieldValidation", "force"],
                        PatchTypes.Json, PatchTypes.Merge, PatchTypes.Apply),
                };
            }
        }

        return new JsonObject
        {
            ["openapi"] = "3.0.0",
            ["info"] = new JsonObject { ["title"] = "Kubernetes", ["version"] = bootstrap.KubernetesVersion },
            ["paths"] = paths,
            ["components"] = new JsonObject { ["schemas"] = schemas },
        };
    }

    private static string SchemaName(ResourceType type)
    {
        if (type.IsBuiltIn)
        {
            var package = type.Group.Length == 0 ? "core" : type.Group.Split('.')[0];
            return $"io.k8s.api.{package}.{type.Version}.{type.Kind}";
        }

        return string.Join('.', type.Group.Split('.').Reverse()) + $".{type.Version}.{type.Kind}";
    }

    private static JsonObject Operation(string action, ResourceType type, JsonObject gvk, JsonObject reference, string[] queryParameters,
        params string[] bodyTypes)
    {
        var operation = new JsonObject
        {
            ["description"] = $"{action} {type.Kind}",
            ["operationId"] = $"{action}{type.Kind}",
            ["parameters"] = new JsonArray([.. queryParameters.Select(p => (JsonNode)new JsonObject
            {
                ["name"] = p,
                ["in"] = "query",
                ["schema"] = new JsonObject { ["type"] = p == "force" ? "boolean" : "string", ["uniqueItems"] = true },
            })]),
            ["responses"] = new JsonObject
            {
                ["200"] = new JsonObject
                {
                    ["description"] = "OK",
                    ["content"] = new JsonObject { ["application/json"] = new JsonObject { ["schema"] = reference.DeepClone() } },
                },
            },
            ["x-kubernetes-action"] = action,
            ["x-kubernetes-group-version-kind"] = gvk.DeepClone(),
        };
        if (bodyTypes.Length > 0)
        {
            var content = new JsonObject();
            foreach (var bodyType in bodyTypes)
            {
                content[bodyType] = new JsonObject { ["schema"] = reference.DeepClone() };
            }

            operation["requestBody"] = new JsonObject { ["content"] = content, ["required"] = true };
        }

        return operation;
    }
}
