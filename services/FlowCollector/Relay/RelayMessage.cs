using Google.Protobuf;
using Grpc.Core;
using LabNet.Hubble.ObserverApi;

namespace LabNet.FlowCollector.Relay;

/// <summary>
/// One message of the GetFlows stream, or why it could not be parsed. Parsing in our own marshaller means a single
/// undecodable message is counted and skipped instead of failing the whole stream.
/// </summary>
public sealed record RelayMessage(GetFlowsResponse? Response, string? Error)
{
    /// <summary><c>/observer.Observer/GetFlows</c> with a response marshaller that never throws.</summary>
    public static Method<GetFlowsRequest, RelayMessage> GetFlows { get; } = new(
        MethodType.ServerStreaming,
        "observer.Observer",
        "GetFlows",
        Marshallers.Create(request => request.ToByteArray(), GetFlowsRequest.Parser.ParseFrom),
        Marshallers.Create<RelayMessage>(
            _ => throw new NotSupportedException("The collector only receives GetFlows responses."),
            Parse));

    private static RelayMessage Parse(byte[] payload)
    {
        try
        {
            return new RelayMessage(GetFlowsResponse.Parser.ParseFrom(payload), null);
        }
        catch (InvalidProtocolBufferException ex)
        {
            return new RelayMessage(null, ex.Message);
        }
    }
}
