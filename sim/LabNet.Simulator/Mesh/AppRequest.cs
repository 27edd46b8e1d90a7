using LabNet.Simulator.Cilium.Policy;

namespace LabNet.Simulator.Mesh;

/// <summary>One request as the application in the server pod receives it.</summary>
/// <param name="Headers">As they arrive, after the sidecars added theirs (names as sent, e.g. <c>X-Envoy-Attempt-Count</c>).</param>
/// <param name="Origin">The client address the application sees (<c>127.0.0.6</c> behind a server sidecar in Istio, else the client's IP).</param>
public sealed record AppRequest(HttpRequestInfo Request, string Scheme, IReadOnlyList<KeyValuePair<string, string>> Headers, string? Body, string Origin);
