using System.Diagnostics.Metrics;

namespace LabNet.Simulator.Kubernetes;

/// <summary>What the simulated API servers serve, by cluster, verb, resource and status code (meter <c>LabNet.Simulator</c>).</summary>
public sealed class KubernetesApiMetrics
{
    public const string MeterName = "LabNet.Simulator";

    private readonly Counter<long> _requests;
    private readonly UpDownCounter<long> _watches;

    public KubernetesApiMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        _requests = meter.CreateCounter<long>("labnet.simulator.kubernetes_api.requests", "{request}",
            "Requests answered by the simulated Kubernetes API servers.");
        _watches = meter.CreateUpDownCounter<long>("labnet.simulator.kubernetes_api.watches", "{watch}",
            "Watch streams open on the simulated Kubernetes API servers.");
    }

    public void Request(string cluster, string verb, string resource, int code) =>
        _requests.Add(1, new("cluster", cluster), new("verb", verb), new("resource", resource), new("code", code));

    public IDisposable Watch(string cluster, string resource)
    {
        var tags = new[] { new KeyValuePair<string, object?>("cluster", cluster), new("resource", resource) };
        _watches.Add(1, tags);
        return new WatchScope(_watches, tags);
    }

    private sealed class WatchScope(UpDownCounter<long> watches, KeyValuePair<string, object?>[] tags) : IDisposable
    {
        public void Dispose() => watches.Add(-1, tags);
    }
}
