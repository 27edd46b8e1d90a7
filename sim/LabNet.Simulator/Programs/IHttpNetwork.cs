using LabNet.Simulator.Mesh;

namespace LabNet.Simulator.Programs;

/// <summary>
/// Where the HTTP requests of a machine's programs go: a pod's go through the lab's data plane
/// (<see cref="IPodHttpClient"/>), a VM's reach what the twin serves of the internet.
/// </summary>
public interface IHttpNetwork
{
    /// <summary>Carries one request (as curl makes it) and says how it ended.</summary>
    PodHttpResult Send(string method, string url, IReadOnlyList<KeyValuePair<string, string>> headers, string? body, TimeSpan? maxTime);
}
