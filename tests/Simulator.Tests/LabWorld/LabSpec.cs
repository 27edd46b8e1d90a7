using System.Text.Json;

namespace LabNet.Simulator.Tests.LabWorld;

/// <summary>config/clusters.json, the lab the original installs.</summary>
public sealed record LabSpec(string BaseImage, IReadOnlyList<ClusterSpec> Clusters)
{
    public static LabSpec Load()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "LabNet.sln")))
        {
            directory = directory.Parent;
        }

        var path = Path.Combine(directory?.FullName ?? throw new InvalidOperationException("LabNet.sln not found above the test directory"), "config", "clusters.json");
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        return new LabSpec(
            root.GetProperty("base_image").GetString()!,
            root.GetProperty("clusters").EnumerateArray().Select(c => new ClusterSpec(
                c.GetProperty("name").GetString()!,
                c.GetProperty("pod_cidr").GetString()!,
                c.GetProperty("service_cidr").GetString()!,
                c.GetProperty("nodes").EnumerateArray().Select(n => new NodeSpec(
                    n.GetProperty("name").GetString()!,
                    n.GetProperty("role").GetString()!,
                    n.GetProperty("cpu").GetInt32(),
                    n.GetProperty("memory").GetInt32())).ToList())).ToList());
    }

    public static string RepositoryRoot
    {
        get
        {
            var directory = new DirectoryInfo(AppContext.BaseDirectory);
            while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "LabNet.sln")))
            {
                directory = directory.Parent;
            }

            return directory!.FullName;
        }
    }
}

public sealed record ClusterSpec(string Name, string PodCidr, string ServiceCidr, IReadOnlyList<NodeSpec> Nodes)
{
    public NodeSpec Master => Nodes.Single(n => n.Role == "master");

    public IEnumerable<NodeSpec> Workers => Nodes.Where(n => n.Role != "master");
}

public sealed record NodeSpec(string Name, string Role, int Cpu, int MemoryMb);
