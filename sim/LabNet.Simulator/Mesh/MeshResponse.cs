using LabNet.Simulator.Workloads;

namespace LabNet.Simulator.Mesh;

/// <summary>How one request through the data plane ended, from the client process's point of view.</summary>
/// <param name="LocalReply">The answer was made by a proxy (client sidecar, Cilium's proxy), not the application.</param>
/// <param name="ServedBy">The pod the request reached (null when nothing left the client, or the connection failed first).</param>
/// <param name="RemoteAddress">The address the client connected to.</param>
public sealed record MeshResponse(
    PodHttpOutcome Outcome,
    int Status,
    string Reason,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    string Body,
    TimeSpan Elapsed,
    TrafficPod? ServedBy,
    bool LocalReply,
    string? RemoteAddress = null,
    MeshFailure Failure = MeshFailure.None);

/// <summary>How the upstream attempt failed when the client sidecar made the answer itself (what Envoy's retryOn tests).</summary>
public enum MeshFailure
{
    /// <summary>An HTTP response came from upstream (the application, a server sidecar, Cilium's proxy).</summary>
    None,

    /// <summary>The connection could not be made: connect timeout, refused, TLS handshake failure (<c>connect-failure</c>).</summary>
    ConnectFailure,

    /// <summary>The connection was reset or closed before a response (<c>reset</c>).</summary>
    Reset,

    /// <summary>The route's timeout expired (not retried).</summary>
    Timeout,
}
