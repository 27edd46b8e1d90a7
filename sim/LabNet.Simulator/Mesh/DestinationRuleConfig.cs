namespace LabNet.Simulator.Mesh;

/// <summary>A DestinationRule: the host it configures (fully qualified), the default traffic policy and the subsets.</summary>
public sealed record DestinationRuleConfig(
    string Namespace,
    string Name,
    string Host,
    TrafficPolicyConfig? TrafficPolicy,
    IReadOnlyList<SubsetConfig> Subsets)
{
    public SubsetConfig? Subset(string name) => Subsets.FirstOrDefault(s => s.Name == name);

    /// <summary>
    /// The client TLS mode for traffic to <paramref name="subset"/> on <paramref name="port"/>, most specific first:
    /// the subset's port-level setting, the subset's, the rule's port-level setting, the rule's. Null when none is set.
    /// </summary>
    public ClientTlsMode? TlsFor(string? subset, int port)
    {
        var sub = subset is null ? null : Subset(subset)?.TrafficPolicy;
        return sub?.PortTls(port) ?? sub?.Tls ?? TrafficPolicy?.PortTls(port) ?? TrafficPolicy?.Tls;
    }

    /// <summary>The outlier detection in force for a subset (a subset's traffic policy replaces the rule's field by field).</summary>
    public OutlierDetectionSettings? OutlierDetectionFor(string? subset) =>
        (subset is null ? null : Subset(subset)?.TrafficPolicy?.OutlierDetection) ?? TrafficPolicy?.OutlierDetection;
}

/// <summary>A named subset: the labels its pods carry, and its own traffic policy.</summary>
public sealed record SubsetConfig(string Name, IReadOnlyDictionary<string, string> Labels, TrafficPolicyConfig? TrafficPolicy)
{
    public bool Selects(IReadOnlyDictionary<string, string> podLabels)
    {
        foreach (var (key, value) in Labels)
        {
            if (!podLabels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>The parts of a traffic policy the twin models: tls (also per port) and outlier detection. connectionPool limits are accepted and not enforced.</summary>
public sealed record TrafficPolicyConfig(ClientTlsMode? Tls, IReadOnlyDictionary<int, ClientTlsMode> PortLevelTls, OutlierDetectionSettings? OutlierDetection)
{
    public ClientTlsMode? PortTls(int port) => PortLevelTls.TryGetValue(port, out var mode) ? mode : null;
}

/// <summary><c>tls.mode</c> of a DestinationRule.</summary>
public enum ClientTlsMode
{
    Disable,
    Simple,
    Mutual,
    IstioMutual,
}

/// <summary>
/// <c>outlierDetection</c> with Istio's defaults: 5 consecutive 5xx, gateway errors off, interval 10 s, base ejection
/// 30 s, at most 10 % ejected; Envoy's max ejection time is the larger of 300 s and the base.
/// </summary>
public sealed record OutlierDetectionSettings(
    int Consecutive5xxErrors = 5,
    int ConsecutiveGatewayErrors = 0,
    TimeSpan? Interval = null,
    TimeSpan? BaseEjectionTime = null,
    int MaxEjectionPercent = 10)
{
    public TimeSpan SweepInterval => Interval ?? TimeSpan.FromSeconds(10);

    public TimeSpan BaseEjection => BaseEjectionTime ?? TimeSpan.FromSeconds(30);

    public TimeSpan MaxEjection => BaseEjection > TimeSpan.FromSeconds(300) ? BaseEjection : TimeSpan.FromSeconds(300);
}
