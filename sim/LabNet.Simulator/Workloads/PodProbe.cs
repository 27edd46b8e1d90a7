namespace LabNet.Simulator.Workloads;

/// <summary>
/// A liveness or readiness probe the kubelet runs against a pod over the network, from the pod's node (Cilium's
/// <c>reserved:host</c>): an HTTP GET, a TCP connect or a gRPC health check, every <see cref="Period"/>.
/// </summary>
/// <param name="Container">The container that declares it.</param>
/// <param name="Kind"><c>liveness</c> or <c>readiness</c>.</param>
/// <param name="Action"><c>httpGet</c>, <c>tcpSocket</c> or <c>grpc</c>.</param>
/// <param name="Port">The port, named ports resolved through the container's ports.</param>
/// <param name="Path">The HTTP path (httpGet only).</param>
/// <param name="Scheme"><c>HTTP</c> or <c>HTTPS</c> (httpGet only; HTTPS is not readable by an L7 proxy).</param>
public sealed record PodProbe(string Container, string Kind, string Action, int Port, string? Path, string? Scheme, TimeSpan Period)
{
    /// <summary>A plaintext HTTP GET: what Cilium's L7 proxy could read.</summary>
    public bool IsPlainHttp => Action == "httpGet" && Scheme is null or "HTTP";
}
