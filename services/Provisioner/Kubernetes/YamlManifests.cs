using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LabNet.Provisioner.Kubernetes;

/// <summary>
/// Reads Kubernetes YAML (multi-document files, folders in file-name order) into the JSON the API takes, resolving
/// plain scalars as YAML 1.2's core schema does (so <c>replicas: 3</c> is a number and <c>"80"</c> stays a string).
/// </summary>
public static partial class YamlManifests
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
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException ex)
        {
            throw new ManifestException(file, $"{file}:{ex.Start.Line}:{ex.Start.Column}: not valid YAML: {ex.Message}");
        }

        var manifests = new List<Manifest>();
        for (var index = 0; index < stream.Documents.Count; index++)
        {
            var root = stream.Documents[index].RootNode;
            if (root is YamlScalarNode { Value: null or "" or "~" or "null" })
            {
                continue;
            }

            if (ToJson(root) is not JsonObject obj || Text(obj["apiVersion"]) is null || Text(obj["kind"]) is null
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

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(child =>
            KeyValuePair.Create(((YamlScalarNode)child.Key).Value ?? "", ToJson(child.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(ToJson).ToArray()),
        YamlScalarNode scalar => Scalar(scalar),
        _ => null,
    };

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var value = scalar.Value ?? "";
        if (scalar.Style is not ScalarStyle.Plain)
        {
            return JsonValue.Create(value);
        }

        return value switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => JsonValue.Create(true),
            "false" or "False" or "FALSE" => JsonValue.Create(false),
            _ when Integer().IsMatch(value) && long.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number) => JsonValue.Create(number),
            _ when Float().IsMatch(value) && double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) => JsonValue.Create(real),
            _ => JsonValue.Create(value),
        };
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex Float();
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
