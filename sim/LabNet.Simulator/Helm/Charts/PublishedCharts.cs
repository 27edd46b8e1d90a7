namespace LabNet.Simulator.Helm.Charts;

/// <summary>What the chart repositories on the internet serve, as the twin knows them: the charts this lab installs.</summary>
public static class PublishedCharts
{
    /// <summary>Chart repositories on the internet that the twin serves, with the charts this lab installs.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<HelmChart>> ByRepository = new Dictionary<string, IReadOnlyList<HelmChart>>(StringComparer.Ordinal)
    {
        ["https://helm.cilium.io"] = [new CiliumChart()],
        ["https://istio-release.storage.googleapis.com/charts"] = [new IstioBaseChart(), new IstiodChart(), new IstioGatewayChart()],
        ["https://kubernetes-sigs.github.io/metrics-server"] = [new MetricsServerChart()],
    };

    /// <summary>A published chart by name (charts of different repositories have different names here).</summary>
    public static HelmChart? Named(string name) => ByRepository.Values.SelectMany(c => c).FirstOrDefault(c => c.Name == name);
}
