using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>The legacy discovery documents: <c>/version</c>, <c>/api</c>, <c>/apis</c>, <c>/apis/&lt;group&gt;</c> and resource lists.</summary>
public static class DiscoveryDocuments
{
    public static JsonObject Version(ClusterBootstrap bootstrap)
    {
        var version = bootstrap.KubernetesVersion.TrimStart('v');
        var parts = version.Split('.');
        return new JsonObject
        {
            ["major"] = parts.ElementAtOrDefault(0) ?? "1",
            ["minor"] = parts.ElementAtOrDefault(1) ?? "0",
            ["gitVersion"] = "v" + version,
            ["gitCommit"] = "0000000000000000000000000000000000000000",
            ["gitTreeState"] = "clean",
            ["buildDate"] = "2025-01-01T00:00:00Z",
            ["goVersion"] = "go1.23.0",
            ["compiler"] = "gc",
            ["platform"] = "linux/arm64",
        };
    }

    public static JsonObject CoreVersions(ClusterBootstrap bootstrap) => new()
    {
        ["kind"] = "APIVersions",
        ["versions"] = new JsonArray("v1"),
        ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject
        {
            ["clientCIDR"] = "0.0.0.0/0",
            ["serverAddress"] = $"{bootstrap.AdvertiseAddress}:6443",
        }),
    };

    public static JsonObject GroupList(ResourceCatalog catalog) => new()
    {
        ["kind"] = "APIGroupList",
        ["apiVersion"] = "v1",
        ["groups"] = new JsonArray([.. catalog.Groups.Where(g => g.Group.Length > 0).Select(g => (JsonNode)Group(g.Group, g.Versions))]),
    };

    public static JsonObject? GroupDocument(ResourceCatalog catalog, string group)
    {
        var found = catalog.Groups.FirstOrDefault(g => g.Group == group);
        if (found.Group is null)
        {
            return null;
        }

        var document = Group(found.Group, found.Versions);
        document["kind"] = "APIGroup";
        document["apiVersion"] = "v1";
        return document;
    }

    private static JsonObject Group(string group, IReadOnlyList<string> versions)
    {
        JsonObject Version(string v) => new() { ["groupVersion"] = $"{group}/{v}", ["version"] = v };
        return new JsonObject
        {
            ["name"] = group,
            ["versions"] = new JsonArray([.. versions.Select(v => (JsonNode)Version(v))]),
            ["preferredVersion"] = Version(versions[0]),
        };
    }

    public static JsonObject? ResourceList(ResourceCatalog catalog, string group, string version)
    {
        var types = catalog.InGroupVersion(group, version).ToList();
        if (types.Count == 0)
        {
            return null;
        }

        var resources = new JsonArray();
        foreach (var type in types)
        {
            var resource = new JsonObject
            {
                ["name"] = type.Plural,
                ["singularName"] = type.Singular,
                ["namespaced"] = type.Namespaced,
                ["kind"] = type.Kind,
                ["verbs"] = new JsonArray("create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"),
            };
            if (type.ShortNames.Count > 0)
            {
                resource["shortNames"] = new JsonArray([.. type.ShortNames.Select(s => (JsonNode)s)]);
            }

            if (type.Categories.Count > 0)
            {
                resource["categories"] = new JsonArray([.. type.Categories.Select(s => (JsonNode)s)]);
            }

            resource["storageVersionHash"] = ObjectFacts.TemplateHash(JsonValue.Create(type.StorageKey + type.Kind));
            resources.Add(resource);
            if (type.HasStatusSubresource)
            {
                resources.Add(Subresource(type, "status", type.Kind));
            }

            if (type.HasScaleSubresource)
            {
                var scale = Subresource(type, "scale", "Scale");
                scale["group"] = "autoscaling";
                scale["version"] = "v1";
                resources.Add(scale);
            }
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    private static JsonObject Subresource(ResourceType type, string name, string kind) => new()
    {
        ["name"] = $"{type.Plural}/{name}",
        ["singularName"] = "",
        ["namespaced"] = type.Namespaced,
        ["kind"] = kind,
        ["verbs"] = new JsonArray("get", "patch", "update"),
    };
}
