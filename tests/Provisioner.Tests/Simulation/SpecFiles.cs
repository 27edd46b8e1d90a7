using System.Text.Json.Nodes;

namespace LabNet.Provisioner.Tests.Simulation;

/// <summary>Lab specs for tests that need fewer VMs than the original lab: config/clusters.json with only some clusters.</summary>
public static class SpecFiles
{
    /// <summary>A spec with only the named clusters of config/clusters.json (one file per selection, rewritten each time).</summary>
    public static string WithClusters(params string[] names)
    {
        var spec = JsonNode.Parse(File.ReadAllText(RepositoryRoot.Combine("config", "clusters.json")))!;
        var clusters = spec["clusters"]!.AsArray();
        foreach (var cluster in clusters.Where(c => !names.Contains(c!["name"]!.GetValue<string>())).ToList())
        {
            clusters.Remove(cluster);
        }

        var path = Path.Combine(Path.GetTempPath(), $"labnet-spec-{string.Join('-', names)}.json");
        File.WriteAllText(path, spec.ToJsonString());
        return path;
    }
}
