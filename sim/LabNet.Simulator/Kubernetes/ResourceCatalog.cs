using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// What one cluster serves: the built-in resources plus one resource per served version of every established CRD.
/// Readers get an immutable snapshot, so discovery and routing never see a half-registered CRD.
/// </summary>
public sealed class ResourceCatalog
{
    private volatile Snapshot _snapshot = new([.. BuiltInResources.All]);

    public IReadOnlyList<ResourceType> All => _snapshot.Types;

    /// <summary>The groups in discovery order (core first, then built-in groups, then CRD groups), each with its versions.</summary>
    public IReadOnlyList<(string Group, IReadOnlyList<string> Versions)> Groups => _snapshot.Groups;

    public ResourceType? FindByPlural(string group, string version, string plural) =>
        _snapshot.ByPlural.GetValueOrDefault((group, version, plural));

    public ResourceType? FindByKind(string apiVersion, string kind) =>
        _snapshot.ByKind.GetValueOrDefault((apiVersion, kind));

    public IEnumerable<ResourceType> InGroupVersion(string group, string version) =>
        _snapshot.Types.Where(t => t.Group == group && t.Version == version);

    /// <summary>Replaces the resources of one CRD (or removes them when <paramref name="crd"/> is null).</summary>
    public void SetCustomResource(string crdName, JsonObject? crd)
    {
        lock (this)
        {
            var types = _snapshot.Types.Where(t => t.IsBuiltIn || $"{t.Plural}.{t.Group}" != crdName).ToList();
            if (crd is not null)
            {
                types.AddRange(FromCrd(crd));
            }

            _snapshot = new Snapshot(types);
        }
    }

    /// <summary>Replaces the resources an APIService brings into discovery (or removes them when <paramref name="types"/> is null).</summary>
    public void SetAggregated(string apiService, IReadOnlyList<ResourceType>? types)
    {
        lock (this)
        {
            var kept = _snapshot.Types.Where(t => t.Aggregated?.ApiServiceName != apiService).ToList();
            kept.AddRange(types ?? []);
            _snapshot = new Snapshot(kept);
        }
    }

    public static IEnumerable<ResourceType> FromCrd(JsonObject crd)
    {
        var spec = crd["spec"]!;
        var names = spec["names"]!;
        var group = spec["group"]!.GetValue<string>();
        var kind = names["kind"]!.GetValue<string>();
        var plural = names["plural"]!.GetValue<string>();
        var singular = names["singular"]?.GetValue<string>() ?? kind.ToLowerInvariant();
        var namespaced = spec["scope"]?.GetValue<string>() != "Cluster";
        string[] shortNames = names["shortNames"] is JsonArray s ? [.. s.Select(x => x!.GetValue<string>())] : [];
        string[] categories = names["categories"] is JsonArray c ? [.. c.Select(x => x!.GetValue<string>())] : [];
        foreach (var version in (spec["versions"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (version["served"]?.GetValue<bool>() == false)
            {
                continue;
            }

            var columns = new List<PrinterColumn>
            {
                new("Name", "string", "name", "Name must be unique within a namespace.", 0, ".metadata.name"),
            };
            if (version["additionalPrinterColumns"] is JsonArray printerColumns && printerColumns.Count > 0)
            {
                columns.AddRange(printerColumns.OfType<JsonObject>().Select(pc => new PrinterColumn(
                    pc["name"]!.GetValue<string>(),
                    pc["type"]?.GetValue<string>() ?? "string",
                    pc["format"]?.GetValue<string>() ?? "",
                    pc["description"]?.GetValue<string>() ?? "",
                    ObjectFacts.Int(pc["priority"]),
                    pc["jsonPath"]?.GetValue<string>())));
            }
            else
            {
                columns.Add(new PrinterColumn("Age", "date", "", "CreationTimestamp is a timestamp representing the server time when this object was created.", 0, ".metadata.creationTimestamp"));
            }

            var subresources = version["subresources"] as JsonObject;
            yield return new ResourceType(
                group, version["name"]!.GetValue<string>(), kind, plural, singular, namespaced, shortNames, categories,
                HasStatusSubresource: subresources?["status"] is not null,
                HasScaleSubresource: subresources?["scale"] is not null,
                TracksGeneration: true,
                IsBuiltIn: false,
                columns,
                BuiltInSchemas.ForCustomResource(version["schema"]?["openAPIV3Schema"] is JsonNode schema ? SchemaNode.FromOpenApiV3(schema) : null),
                []);
        }
    }

    private sealed class Snapshot
    {
        public Snapshot(List<ResourceType> types)
        {
            Types = types;
            ByPlural = types.ToDictionary(t => (t.Group, t.Version, t.Plural));
            ByKind = new Dictionary<(string, string), ResourceType>();
            foreach (var type in types)
            {
                ByKind.TryAdd((type.ApiVersion, type.Kind), type);
            }

            Groups = [.. types.GroupBy(t => t.Group).Select(g => (g.Key, (IReadOnlyList<string>)[.. g.Select(t => t.Version).Distinct()]))];
        }

        public List<ResourceType> Types { get; }

        public Dictionary<(string Group, string Version, string Plural), ResourceType> ByPlural { get; }

        public Dictionary<(string ApiVersion, string Kind), ResourceType> ByKind { get; }

        public IReadOnlyList<(string Group, IReadOnlyList<string> Versions)> Groups { get; }
    }
}
