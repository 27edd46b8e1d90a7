using System.Text.Json;

namespace LabNet.Simulator.Hubble;

/// <summary>The clusters of the lab spec (clusters.json) in their order, with their nodes and pod CIDRs.</summary>
public sealed record HubbleLabSpec(IReadOnlyList<HubbleClusterSpec> Clusters)
{
    public const string DefaultRelativePath = "config/clusters.json";

    /// <summary>Reads the spec at <paramref name="path"/>, or finds config/clusters.json in a directory above <paramref name="contentRoot"/>.</summary>
    /// <exception cref="InvalidOperationException">The file is missing or not a lab spec; the message names the file and the fix.</exception>
    public static HubbleLabSpec Load(string? path, string contentRoot)
    {
        var file = path is { Length: > 0 } ? Path.GetFullPath(path, contentRoot) : FindUpwards(contentRoot);
        if (file is null || !File.Exists(file))
        {
            throw new InvalidOperationException(
                $"{HubbleOptions.Section}:LabSpecPath: the lab spec '{file ?? DefaultRelativePath}' does not exist; set {HubbleOptions.Section}:LabSpecPath to the path of clusters.json.");
        }

        try
        {
            using var document = JsonDocument.Parse(File.ReadAllText(file));
            var clusters = new List<HubbleClusterSpec>();
            foreach (var cluster in document.RootElement.GetProperty("clusters").EnumerateArray())
            {
                var nodes = cluster.GetProperty("nodes").EnumerateArray().Select(n => n.GetProperty("name").GetString()!).ToArray();
                clusters.Add(new HubbleClusterSpec(cluster.GetProperty("name").GetString()!, cluster.GetProperty("pod_cidr").GetString()!, nodes));
            }

            return new HubbleLabSpec(clusters);
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new InvalidOperationException($"{file}: not a lab spec ({e.Message}); each of 'clusters' needs 'name', 'pod_cidr' and 'nodes' with 'name'.", e);
        }
    }

    private static string? FindUpwards(string directory)
    {
        for (var dir = new DirectoryInfo(directory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, DefaultRelativePath);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}

public sealed record HubbleClusterSpec(string Name, string PodCidr, IReadOnlyList<string> Nodes);
