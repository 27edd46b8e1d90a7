using LabNet.Hubble.FlowApi;
using LabNet.Simulator.Cilium.Policy;
using LabNet.Simulator.Hubble.Flows;
using LabNet.Simulator.Workloads;

namespace LabNet.Simulator.Mesh;

/// <summary>One HTTP request entering a cluster's data plane from a pod: who sends what to which Service (or pod) and port, when.</summary>
/// <param name="Service">The Service addressed (by name or ClusterIP); null when the client addressed a pod IP.</param>
/// <param name="Backends">The Service's ready pods, or the one pod addressed.</param>
/// <param name="Port">The port the client connected to (the Service port, or the pod port).</param>
/// <param name="At">When the exchange ends (flows are dated before it) and the sidecar's clock for outlier detection.</param>
public readonly record struct MeshRequest(
    TrafficPod Client,
    TrafficService? Service,
    IReadOnlyList<TrafficPod> Backends,
    int Port,
    HttpRequestInfo Http,
    DateTimeOffset At)
{
    /// <summary>curl's <c>-H</c> headers, in order, as the application receives them.</summary>
    public IReadOnlyList<KeyValuePair<string, string>>? ExtraHeaders { get; init; }

    /// <summary>curl's <c>-d</c> body.</summary>
    public string? Body { get; init; }

    /// <summary>False on the generator's hot path: status and latency only, no body or headers.</summary>
    public bool WantBody { get; init; }

    /// <summary>curl's <c>--max-time</c>: a longer exchange is cut (exit 28).</summary>
    public TimeSpan? MaxTime { get; init; }

    /// <summary>The client as Hubble shows it when it is not a pod (a NodePort client outside the cluster, identity world).</summary>
    public FlowEndpoint? ClientEndpoint { get; init; }
}

/// <summary>A request on its way through the data plane: the request, the cluster as it was, the caller's dice, its flows so far.</summary>
internal readonly record struct MeshExchange(MeshRequest Asked, IstioConfigSnapshot Istio, TrafficTopology Topology, Random Random, List<Flow> Flows)
{
    public TrafficPod Client => Asked.Client;

    public TrafficService? Service => Asked.Service;

    public IReadOnlyList<TrafficPod> Backends => Asked.Backends;

    public int Port => Asked.Port;

    public HttpRequestInfo Request => Asked.Http;

    public IReadOnlyList<KeyValuePair<string, string>>? ExtraHeaders => Asked.ExtraHeaders;

    public string? Body => Asked.Body;

    public DateTimeOffset At => Asked.At;

    public bool WantBody => Asked.WantBody;

    public TimeSpan? MaxTime => Asked.MaxTime;
}
