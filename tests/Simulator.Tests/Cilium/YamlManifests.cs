using System.Text.Json.Nodes;
using LabNet.Yaml;

namespace LabNet.Simulator.Tests.Cilium;

/// <summary>Test manifests as the JSON objects kubectl sends (typed by <see cref="YamlToJson"/>), from text or the output folder.</summary>
internal static class YamlManifests
{
    public static IReadOnlyList<JsonObject> Parse(string yaml) => YamlToJson.ParseDocuments(yaml).OfType<JsonObject>().ToArray();

    public static JsonObject ParseOne(string yaml) => Parse(yaml).Single();

    public static IReadOnlyList<JsonObject> LoadDirectory(string relativePath) =>
        Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, relativePath), "*.yaml")
            .Order(StringComparer.Ordinal)
            .SelectMany(file => Parse(File.ReadAllText(file)))
            .ToArray();

    public static JsonObject LoadFile(string relativePath) => ParseOne(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, relativePath)));
}
