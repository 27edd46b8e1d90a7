namespace LabNet.Simulator.Helm;

/// <summary>The Mac user's Helm repositories (~/.config/helm/repositories.yaml) and what the known ones serve.</summary>
public sealed class HelmRepositories
{
    /// <summary>Chart repositories on the internet that the twin serves, with the charts this lab installs.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<HelmChart>> Published = new Dictionary<string, IReadOnlyList<HelmChart>>(StringComparer.Ordinal)
    {
        ["https://helm.cilium.io"] = [new Charts.CiliumChart()],
        ["https://istio-release.storage.googleapis.com/charts"] = [new Charts.IstioBaseChart(), new Charts.IstiodChart(), new Charts.IstioGatewayChart()],
        ["https://kubernetes-sigs.github.io/metrics-server"] = [new Charts.MetricsServerChart()],
    };

    private readonly Dictionary<string, string> _repositories = new(StringComparer.Ordinal);
    private readonly Lock _sync = new();

    public static string Normalize(string url) => url.TrimEnd('/');

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
