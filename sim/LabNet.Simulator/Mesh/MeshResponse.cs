using LabNet.Simulator.Traffic;

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
    string? RemoteAddress = null);
