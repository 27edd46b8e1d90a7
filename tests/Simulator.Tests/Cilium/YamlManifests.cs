using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LabNet.Simulator.Tests.Cilium;

/// <summary>
/// Turns YAML manifests into the JSON objects the Kubernetes API stores, the way kubectl does before sending them:
/// quoted scalars stay strings, plain scalars become numbers, booleans or null when they look like one.
/// </summary>
internal static class YamlManifests
{
    public static IReadOnlyList<JsonObject> Parse(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents
            .Where(d => d.RootNode is YamlMappingNode)
            .Select(d => (JsonObject)Convert(d.RootNode)!)
            .ToArray();
    }

    public static JsonObject ParseOne(string yaml) => Parse(yaml).Single();

    public static IReadOnlyList<JsonObject> LoadDirectory(string relativePath) =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, relativePath), "*.yaml")
            .Order(StringComparer.Ordinal)
            .SelectMany(file => Parse(File.ReadAllText(file)))
            .ToArray();

    public static JsonObject LoadFile(string relativePath) => ParseOne(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, relativePath)));

    private static JsonNode? Convert(YamlNode node) => node switch
    {
        YamlMappingNode mapping => new JsonObject(mapping.Children.Select(
            child => KeyValuePair.Create(((YamlScalarNode)child.Key).Value!, Convert(child.Value)))),
        YamlSequenceNode sequence => new JsonArray(sequence.Children.Select(Convert).ToArray()),
        YamlScalarNode scalar => ConvertScalar(scalar),
        _ => null,
    };

    private static JsonNode? ConvertScalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded)
        {
            return JsonValue.Create(text);
        }

        if (text is "" or "~" or "null" or "Null" or "NULL")
        {
            return null;
        }

        if (text is "true" or "True" or "TRUE")
        {
            return JsonValue.Create(true);
        }

        if (text is "false" or "False" or "FALSE")
        {
            return JsonValue.Create(false);
        }

        if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var integer))
        {
            return JsonValue.Create(integer);
        }

        if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real))
        {
            return JsonValue.Create(real);
        }

        return JsonValue.Create(text);
    }
}
