using LabNet.Simulator.Mesh;
using LabNet.Simulator.Programs;

namespace LabNet.Simulator.Pods;

/// <summary>curl in a container: the shared curl over the pod's network, the lab's data plane (<see cref="IPodHttpClient"/>).</summary>
internal sealed class PodCurlCommand : IPodCommand
{
    public IReadOnlyList<string> Names { get; } = ["curl"];

    public Task<int> RunAsync(PodCommandCall call) => CurlProgram.RunAsync(call.Program, new PodNetwork(call.Process));

    /// <summary>The pod's side of the data plane; without one (no CNI in the twin), names do not resolve.</summary>
    private sealed class PodNetwork(PodProcess process) : IHttpNetwork
    {
        public PodHttpResult Send(string method, string url, IReadOnlyList<KeyValuePair<string, string>> headers, string? body, TimeSpan? maxTime) =>
            process.Services.Http is { } http
                ? http.Send(new PodHttpRequest(process.ClusterName, process.Namespace, process.PodName, method, url, headers, body, maxTime))
                : new PodHttpResult(PodHttpOutcome.CouldNotResolveHost, 0, "", [], "", TimeSpan.FromMilliseconds(2), null, null);
    }
}
