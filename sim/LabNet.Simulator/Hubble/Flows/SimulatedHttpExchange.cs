namespace LabNet.Simulator.Hubble.Flows;

/// <summary>
/// One HTTP request over a simulated connection and the server's answer. <see cref="Authority"/> is the host the client
/// named (the Service name for in-cluster calls), as Envoy puts it in the access log URL.
/// </summary>
/// <param name="StatusCode">What the server answered; ignored when the proxy denies the request (403).</param>
/// <param name="Latency">From the request leaving the proxy to the response arriving at it.</param>
public sealed record SimulatedHttpExchange(
    string Method,
    string Authority,
    string Path,
    int StatusCode,
    TimeSpan Latency,
    IReadOnlyDictionary<string, string>? Headers = null,
    string Protocol = "HTTP/1.1")
{
    public string Url => $"http://{Authority}{Path}";
}
