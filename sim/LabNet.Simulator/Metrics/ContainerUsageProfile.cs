namespace LabNet.Simulator.Metrics;

/// <summary>
/// How much CPU and memory a container of one program uses: at rest, and per connection it serves or opens (a
/// request of the demo's traffic is one connection). The numbers are of the order the real programs show under
/// <c>kubectl top</c> on a small VM; the model only needs them to move with the traffic.
/// </summary>
/// <param name="IdleMillicores">CPU with no traffic.</param>
/// <param name="ServedCpuMs">CPU milliseconds per connection served (so 10 connections/s at 2 ms is 20m).</param>
/// <param name="SentCpuMs">CPU milliseconds per connection the container opens.</param>
/// <param name="IdleMiB">Working set with no traffic.</param>
/// <param name="MiBPerConnectionPerSecond">Extra working set per connection/s served (buffers, workers).</param>
public sealed record ContainerUsageProfile(double IdleMillicores, double ServedCpuMs, double SentCpuMs, double IdleMiB, double MiBPerConnectionPerSecond)
{
    /// <summary>Istio's sidecar: Envoy handles every connection of its pod, in and out.</summary>
    public static ContainerUsageProfile IstioProxy { get; } = new(2.0, 0.35, 0.35, 38, 0.05);

    private static readonly ContainerUsageProfile Default = new(1.0, 0.3, 0.15, 12, 0.02);

    /// <summary>Profiles by the image's repository (the part before the tag), most specific first.</summary>
    private static readonly (string Image, ContainerUsageProfile Profile)[] ByImage =
    [
        ("kong/httpbin", new(3.0, 1.3, 0.6, 46, 0.4)),
        ("nginx", new(1.0, 0.25, 0.2, 7, 0.05)),
        ("redis", new(2.0, 0.06, 0.03, 4, 0.01)),
        ("postgres", new(3.0, 0.45, 0.2, 32, 0.2)),
        ("rabbitmq", new(14.0, 0.3, 0.2, 118, 0.1)),
        ("keycloak", new(7.0, 2.0, 0.5, 410, 0.5)),
        ("coredns", new(2.0, 0.08, 0.05, 15, 0.01)),
        ("etcd", new(17.0, 0.1, 0.05, 46, 0.01)),
        ("kube-apiserver", new(32.0, 0.5, 0.2, 262, 0.1)),
        ("kube-controller-manager", new(11.0, 0.1, 0.1, 52, 0.01)),
        ("kube-scheduler", new(3.0, 0.1, 0.1, 23, 0.01)),
        ("cilium/operator", new(2.0, 0.1, 0.1, 31, 0.01)),
        ("cilium/hubble-relay", new(1.0, 0.2, 0.1, 19, 0.01)),
        ("cilium/hubble-ui-backend", new(1.0, 0.2, 0.1, 22, 0.01)),
        ("cilium/hubble-ui", new(1.0, 0.2, 0.1, 9, 0.01)),
        ("cilium/cilium-envoy", new(3.0, 0.2, 0.1, 28, 0.02)),
        ("cilium/cilium", new(14.0, 0.05, 0.05, 158, 0.01)),
        ("istio/pilot", new(4.0, 0.2, 0.1, 57, 0.01)),
        ("istio/proxyv2", IstioProxy),
        ("metrics-server", new(3.0, 0.2, 0.1, 19, 0.01)),
    ];

    public static ContainerUsageProfile For(string image, string containerName)
    {
        if (containerName == "istio-proxy")
        {
            return IstioProxy;
        }

        var repository = image.Contains('@') ? image[..image.IndexOf('@')] : image.LastIndexOf(':') > image.LastIndexOf('/') ? image[..image.LastIndexOf(':')] : image;
        foreach (var (name, profile) in ByImage)
        {
            if (repository.EndsWith(name, StringComparison.Ordinal) || repository.Contains("/" + name, StringComparison.Ordinal))
            {
                return profile;
            }
        }

        return Default;
    }
}
