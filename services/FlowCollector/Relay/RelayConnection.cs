using Grpc.Net.Client;
using LabNet.FlowCollector.Relay.PortForward;

namespace LabNet.FlowCollector.Relay;

/// <summary>
/// How a relay source reaches its hubble-relay: a fixed address (<c>FlowCollector:Relays</c>), or the cluster's
/// Kubernetes API's port-forward to the relay's Service, where every HTTP/2 connection the gRPC channel opens is one
/// port-forward. Either way the channel reconnects by itself; what the stream saw is resumed by the source.
/// </summary>
public sealed class RelayConnection
{
    private readonly Uri _channelAddress;
    private readonly ServicePortForward? _portForward;

    private RelayConnection(string address, Uri channelAddress, ServicePortForward? portForward)
    {
        Address = address;
        _channelAddress = channelAddress;
        _portForward = portForward;
    }

    /// <summary>What <c>/api/sources</c> shows as the relay's address.</summary>
    public string Address { get; }

    public static RelayConnection Direct(Uri address) => new(address.ToString(), address, null);

    // The authority only names the relay in the :authority header; the bytes go through the port-forward.
    public static RelayConnection ThroughPortForward(ServicePortForward portForward) =>
        new(portForward.Description, new Uri("http://hubble-relay"), portForward);

    public GrpcChannel CreateChannel()
    {
        var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromSeconds(5),
            KeepAlivePingDelay = TimeSpan.FromSeconds(20),
            KeepAlivePingTimeout = TimeSpan.FromSeconds(10),
            EnableMultipleHttp2Connections = true,
            UseProxy = false,
        };
        if (_portForward is { } portForward)
        {
            handler.ConnectCallback = async (_, cancellationToken) => await portForward.OpenAsync(cancellationToken);
        }

        return GrpcChannel.ForAddress(_channelAddress, new GrpcChannelOptions
        {
            HttpHandler = handler,
            MaxReceiveMessageSize = 16 * 1024 * 1024,
        });
    }
}
