using LabNet.Simulator.Helm.Charts;

namespace LabNet.Simulator.Helm;

/// <summary>The Mac user's Helm repositories (~/.config/helm/repositories.yaml) and what the known ones serve.</summary>
public sealed class HelmRepositories
{
    private readonly Dictionary<string, string> _repositories = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();

    public static string Normalize(string url) => url.TrimEnd('/');

    /// <summary>The charts a repository URL serves (none for a URL the twin does not know).</summary>
    public static IReadOnlyList<HelmChart> ChartsAt(string url) => PublishedCharts.ByRepository.GetValueOrDefault(Normalize(url)) ?? [];

    public string? UrlOf(string name)
    {
        lock (_sync)
        {
            return _repositories.GetValueOrDefault(name);
        }
    }

    public IReadOnlyList<(string Name, string Url)> All
    {
        get
        {
            lock (_sync)
            {
                return _repositories.Select(r => (r.Key, r.Value)).ToList();
            }
        }
    }

    public void Set(string name, string url)
    {
        lock (_sync)
        {
            _repositories[name] = Normalize(url);
        }
    }
}
