namespace LabNet.Simulator.Mesh;

/// <summary>
/// An HTTP request made by a process inside a pod (curl in <c>kubectl exec</c> or <c>kubectl run</c>), carried by the
/// lab's data plane as the real one would carry it: DNS through kube-dns, the client's sidecar (VirtualService routes,
/// DestinationRule subsets and outlier detection) if the pod has one, Cilium's policy and L7 proxy, the server's
/// sidecar (PeerAuthentication) and the application. It records the Hubble flows the request produces, like the
/// traffic generator's requests do. Thread-safe.
/// </summary>
public interface IPodHttpClient
{
    PodHttpResult Send(PodHttpRequest request);
}

/// <summary>One request as curl would make it.</summary>
/// <param name="Cluster">The cluster name (as in <c>config/clusters.json</c>).</param>
/// <param name="Namespace">The client pod's namespace.</param>
/// <param name="Pod">The client pod's name.</param>
/// <param name="Url">As given to curl, e.g. <c>http://httpbin/get</c>, <c>http://httpbin.demo.svc.cluster.local:80/status/503</c>, <c>http://10.96.12.7/get</c>.</param>
/// <param name="Headers">Extra request headers (<c>-H</c>), in order.</param>
/// <param name="Body">The request body (<c>-d</c>), null for none.</param>
/// <param name="MaxTime">curl's <c>--max-time</c>; null for curl's defaults (no overall limit, connect timeout as the kernel gives it).</param>
public sealed record PodHttpRequest(
    string Cluster,
    string Namespace,
    string Pod,
    string Method,
    string Url,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string? Body = null,
    TimeSpan? MaxTime = null);

/// <summary>How a request ended, in curl's terms (its exit code in brackets).</summary>
public enum PodHttpOutcome
{
    /// <summary>An HTTP response arrived (any status, including Envoy's own 503 or Cilium's 403): exit 0.</summary>
    Response,

    /// <summary>The host name did not resolve (6).</summary>
    CouldNotResolveHost,

    /// <summary>Connection refused: nothing listens on the port, or a Service without endpoints (7).</summary>
    ConnectionRefused,

    /// <summary>No answer at all, e.g. Cilium dropped the SYN; curl gives up at --max-time or the kernel's connect timeout (28).</summary>
    TimedOut,

    /// <summary>The server side reset the connection, e.g. a STRICT mTLS sidecar receiving plaintext (56: Recv failure: Connection reset by peer).</summary>
    ConnectionReset,

    /// <summary>The connection closed before any response byte (52: Empty reply from server).</summary>
    EmptyReply,
}

/// <summary>The result of one request.</summary>
/// <param name="StatusCode">The HTTP status when <see cref="Outcome"/> is <see cref="PodHttpOutcome.Response"/>, else 0.</param>
/// <param name="Headers">Response headers in order, as the client receives them (e.g. <c>server: envoy</c> through a sidecar).</param>
/// <param name="Body">The response body (httpbin's JSON for /get, Envoy's <c>no healthy upstream</c>, Cilium's <c>Access denied</c>...).</param>
/// <param name="Elapsed">Modeled time from start to end (for a timeout: when curl gave up).</param>
/// <param name="RemoteAddress">The address curl connected to (a ClusterIP or pod IP), null when resolution failed.</param>
/// <param name="ServedBy">The pod that answered, null when none did (for tests and logs; curl does not print it).</param>
public sealed record PodHttpResult(
    PodHttpOutcome Outcome,
    int StatusCode,
    string ReasonPhrase,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string Body,
    TimeSpan Elapsed,
    string? RemoteAddress,
    string? ServedBy);
