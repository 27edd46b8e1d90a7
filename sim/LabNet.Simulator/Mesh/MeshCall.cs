using LabNet.Simulator.Cilium.Engine;
using LabNet.Simulator.Cilium.Policy;
using LabNet.Simulator.Hubble.Flows;
using LabNet.Simulator.Traffic;

namespace LabNet.Simulator.Mesh;

/// <summary>
/// One HTTP request entering the data plane from a pod: who sends it, to which Service (or pod) and port, and the world
/// it crosses (the cluster's Istio config, Cilium policy, topology and fault settings).
/// </summary>
/// <param name="Service">The Service addressed (by name or ClusterIP); null when the client addressed a pod IP.</param>
/// <param name="Backends">The Service's ready pods, or the one pod addressed.</param>
/// <param name="Port">The port the client connected to (the Service port, or the pod port).</param>
/// <param name="At">When the exchange ends (flows are dated before it) and the sidecar's clock for outlier detection.</param>
/// <param name="WantBody">False on the generator's hot path: status and latency only, no body or headers.</param>
/// <param name="ClientEndpoint">The client as Hubble shows it when it is not a pod (a NodePort client outside the cluster, identity world).</param>
public readonly record struct MeshCall(
    string Cluster,
    IstioConfigSnapshot Istio,
    CiliumPolicyEngine Policy,
    HubbleFlowBuilder FlowBuilder,
    TrafficTopology Topology,
    TrafficSettings Settings,
    TrafficPod Client,
    TrafficService? Service,
    IReadOnlyList<TrafficPod> Backends,
    int Port,
    HttpRequestInfo Request,
    IReadOnlyList<KeyValuePair<string, string>>? ExtraHeaders,
    string? Body,
    Random Random,
    DateTimeOffset At,
    bool WantBody,
    TimeSpan? MaxTime = null,
    FlowEndpoint? ClientEndpoint = null);
