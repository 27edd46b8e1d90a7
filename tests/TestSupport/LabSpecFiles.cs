using System.Text.Json.Nodes;

namespace LabNet.TestSupport;

/// <summary>Lab specs for tests: the original lab's <c>config/clusters.json</c>, or a copy with only some of its clusters.</summary>
public static class LabSpecFiles
{
    public static string Original => RepositoryRoot.Combine("config", "clusters.json");

    /// <summary>
    /// The original lab's spec with only some of its clusters, for tests where the whole lab is not the point (a fault,
    /// a repair, destroy): the same steps per cluster, a fraction of the tool calls. Written to a folder of the test
    /// run that is removed when the test process ends.
    /// </summary>
    public static string With(params string[] clusters)
    {
        var spec = JsonNode.Parse(File.ReadAllText(Original))!;
        var kept = spec["clusters"]!.AsArray().Where(c => clusters.Contains((string?)c!["name"])).Select(c => c!.DeepClone()).ToArray();
        Assert.Equal(clusters.Length, kept.Length);
        spec["clusters"] = new JsonArray(kept);
        var path = Path.Combine(SpecsDirectory.Value, $"{string.Join('-', clusters)}-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, spec.ToJsonString());
        return path;
    }

    private static readonly Lazy<string> SpecsDirectory = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("labnet-specs-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Directory.Delete(folder, recursive: true);
        return folder;
    });
}
