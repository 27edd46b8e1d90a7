using LabNet.Simulator.Cilium.Policy;

namespace LabNet.Simulator.Hubble.Flows;

/// <summary>
/// One connection the twin simulates: the two ends, the protocol and ports, the Service the client addressed (if any),
/// when the client opened it and how long it lasted. A connection still <paramref name="Open"/> (a long-lived gRPC
/// stream) has no teardown yet: Hubble has seen its handshake only.
/// </summary>
public sealed record SimulatedConnection(
    FlowEndpoint Source,
    FlowEndpoint Destination,
    IpProtocol Protocol,
    int SourcePort,
    int DestinationPort,
    DateTimeOffset StartedAt,
    TimeSpan Duration,
    ServiceName? DestinationService = null,
    bool Open = false);

/// <summary>A Kubernetes Service by name and namespace (Hubble's <c>flow.Service</c>).</summary>
public sealed record ServiceName(string Name, string Namespace);
