using BenchmarkDotNet.Attributes;
using Grpc.Net.Client;
using LabNet.Hubble.ObserverApi;
using LabNet.Simulator.Hubble.Relay;
using LabNet.Simulator.Traffic;

namespace LabNet.Benchmarks.Hubble;

/// <summary>
/// Flows per second the relay streams to one gRPC client over loopback h2c: GetFlows for the 100,000 demo flows held in
/// the node rings, read to the end by the generated client. Target: 200,000 flows/s.
/// </summary>
[MemoryDiagnoser]
public class RelayStreamingBenchmarks
{
    private const int Flows = 100_000;

    private RelayServer _relay = null!;
    private GrpcChannel _channel = null!;
    private Observer.ObserverClient _client = null!;

    [GlobalSetup]
    public void Setup()
    {
        var start = new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);
        var hubble = new HubbleClusterFlows("dev", Flows, start, 1, ["dev-worker1"]);
        var staging = new HubbleClusterFlows("dev", Flows * 2, start, 1);
        var generator = new TrafficGenerator("dev", DemoTrafficSetup.PolicyEngine(), staging, new TrafficSettingsStore(new TrafficSettings()), new UniformServiceRouter(), 7);
        var topology = DemoTrafficSetup.Topology();
        var now = start;
        while (staging.Rings.Sum(r => r.Written) < Flows)
        {
            now += TimeSpan.FromSeconds(10);
            generator.Step(topology, now, TimeSpan.FromSeconds(10));
        }

        var flows = staging.Rings.SelectMany(r => r.Snapshot().Events).Select(e => e.Flow).OrderBy(f => f.Time).Take(Flows).ToList();
        foreach (var flow in flows)
        {
            flow.NodeName = "dev/dev-worker1";
        }

        hubble.Publish(flows);
        _relay = new RelayServer(hubble, TimeProvider.System, 0);
        _relay.StartAsync(CancellationToken.None).GetAwaiter().GetResult();
        _channel = GrpcChannel.ForAddress(_relay.Address!);
        _client = new Observer.ObserverClient(_channel);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _channel.Dispose();
        _relay.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    [Benchmark(OperationsPerInvoke = Flows)]
    public async Task<int> StreamAllFlowsToOneClient()
    {
        using var call = _client.GetFlows(new GetFlowsRequest { Number = Flows });
        var count = 0;
        while (await call.ResponseStream.MoveNext(CancellationToken.None))
        {
            if (call.ResponseStream.Current.ResponseTypesCase == GetFlowsResponse.ResponseTypesOneofCase.Flow)
            {
                count++;
            }
        }

        return count == Flows ? count : throw new InvalidOperationException($"Streamed {count} flows, expected {Flows}.");
    }
}
