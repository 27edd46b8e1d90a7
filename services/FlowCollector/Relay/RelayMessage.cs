using Google.Protobuf;
using Grpc.Core;
using LabNet.Hubble.ObserverApi;

namespace LabNet.FlowCollector.Relay;

/// <summary>
/// <c>/observer.Observer/GetFlows</c> as the collector calls it: the request is Cilium's GetFlowsRequest, each
/// response stays serialized (a GetFlowsResponse's bytes) so the source decodes it straight into its reused
/// <see cref="Flows.FlowRecord"/>; an undecodable message is then counted and skipped instead of failing the stream.
/// </summary>
public static class RelayMessage
{
    public static Method<GetFlowsRequest, byte[]> GetFlows { get; } = new(
        MethodType.ServerStreaming,
        "observer.Observer",
        "GetFlows",
        Marshallers.Create(request => request.ToByteArray(), GetFlowsRequest.Parser.ParseFrom),
        Marshallers.Create<byte[]>(payload => payload, payload => payload));
}
