using Grpc.Net.Client;
using LabNet.Hubble.ObserverApi;
using LabNet.Simulator.Hubble.Relay;
using Microsoft.Extensions.Time.Testing;

namespace LabNet.Simulator.Tests.Hubble;

/// <summary>A dev cluster's Hubble with its relay on a free loopback port and a gRPC client generated from the same protos.</summary>
internal sealed class RelayTestHost : IAsyncDisposable
{
    private readonly GrpcChannel _channel;

    private RelayTestHost(HubbleClusterFlows cluster, RelayServer relay, FakeTimeProvider time)
    {
        Cluster = cluster;
        Relay = relay;
        Time = time;
        _channel = GrpcChannel.ForAddress(relay.Address!);
        Client = new Observer.ObserverClient(_channel);
    }

    public HubbleClusterFlows Cluster { get; }

    public RelayServer Relay { get; }

    public FakeTimeProvider Time { get; }

    public Observer.ObserverClient Client { get; }

    public static async Task<RelayTestHost> StartAsync(int ringCapacity = 4095)
    {
        var time = new FakeTimeProvider(FlowFixtures.Start);
        var cluster = new HubbleClusterFlows("dev", ringCapacity, time.GetUtcNow(), 1, ["dev-master", "dev-worker1"]);
        var relay = new RelayServer(cluster, time, 0);
        await relay.StartAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        return new RelayTestHost(cluster, relay, time);
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        await Relay.DisposeAsync();
    }
}
