using System.Text.Json.Nodes;
using LabNet.Yaml;

namespace LabNet.Provisioner.Kubernetes;

/// <summary>
/// Reads Kubernetes YAML (multi-document files, folders in file-name order) into the JSON the API takes, with the
/// scalars typed as kubectl types them (<see cref="YamlToJson"/>: <c>replicas: 3</c> is a number, <c>"80"</c> stays a
/// string, <c>enabled: yes</c> is true).
/// </summary>
public static class YamlManifests
{
    public static IReadOnlyList<Manifest> LoadFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new ManifestException(folder, $"The manifest folder {folder} does not exist.");
        }

        return Directory.EnumerateFiles(folder, "*.*", SearchOption.TopDirectoryOnly)
            .Where(file => file.EndsWith(".yaml", StringComparison.Ordinal) || file.EndsWith(".yml", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .SelectMany(file => Load(file, File.ReadAllText(file)))
            .ToList();
    }

    public static IReadOnlyList<Manifest> Load(string file, string yaml)
    {
        IReadOnlyList<JsonNode?> documents;
        try
        {
            documents = YamlToJson.ParseDocuments(yaml);
        }
        catch (YamlToJsonException ex)
        {
            throw new ManifestException(file, $"{file}:{ex.Line}:{ex.Column}: not valid YAML: {ex.Problem}");
        }

        var manifests = new List<Manifest>();
        for (var index = 0; index < documents.Count; index++)
        {
            if (documents[index] is null)
            {
                continue;
            }

            if (documents[index] is not JsonObject obj || Text(obj["apiVersion"]) is null || Text(obj["kind"]) is null
                || Text((obj["metadata"] as JsonObject)?["name"]) is null)
            {
                throw new ManifestException(file, $"{file}: document {index + 1} is not a Kubernetes object: it needs apiVersion, kind and metadata.name.");
            }

            manifests.Add(new Manifest(file, index + 1, obj));
        }

        return manifests;
    }

    private static string? Text(JsonNode? node) =>
        node is JsonValue value && value.TryGetValue<string>(out var text) && text.Length > 0 ? text : null;
}

/// <summary>One object from a manifest file, with where it came from (for errors a person can act on).</summary>
public sealed record Manifest(string File, int Document, JsonObject Object)
{
    public string ApiVersion => Object["apiVersion"]!.GetValue<string>();

    public string Kind => Object["kind"]!.GetValue<string>();

    public string Name => Object["metadata"]!["name"]!.GetValue<string>();

    public string? Namespace => Object["metadata"]?["namespace"]?.GetValue<string>();

    public override string ToString() => $"{Kind} {(Namespace is null ? "" : Namespace + "/")}{Name} ({Path.GetFileName(File)}#{Document})";
}

public sealed class ManifestException(string file, string message) : Exception(message)
{
    public string File { get; } = file;
}
