using Google.Protobuf.WellKnownTypes;
using LabNet.FlowCollector.Relay;
using LabNet.FlowCollector.Tests.Support;
using LabNet.Hubble.FlowApi;
using LabNet.Hubble.ObserverApi;
using Microsoft.Extensions.Logging.Abstractions;

namespace LabNet.FlowCollector.Tests.Relay;

public sealed class RelayFlowSourceTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 6, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_relay_killed_and_restarted_mid_stream_loses_and_double_counts_nothing()
    {
        await using var relay = new FakeRelay();
        await relay.StartAsync();
        using var test = new TestPipeline();
        var source = NewSource(relay.Address, test);
        using var stop = new CancellationTokenSource();
        var running = source.RunAsync(stop.Token);

        await WaitUntil(() => source.Status.Snapshot().Connected, "the collector connects");
        relay.Buffer.Add(Flows(1, 50));
        await WaitUntil(() => test.Aggregator.Flows == 50, "the first 50 flows are counted");

        await relay.StopAsync();
        await WaitUntil(() => !source.Status.Snapshot().Connected, "the collector notices the relay is gone");

        // The agents keep observing while the relay is down; flows 49-51 share one timestamp across the seam.
        relay.Buffer.Add(Flows(51, 80));
        await relay.StartAsync(relay.Port);
        await WaitUntil(() => test.Aggregator.Flows >= 80, "the collector resumes and catches up");

        relay.Buffer.Add(Flows(81, 100));
        relay.Buffer.Add(new GetFlowsResponse
        {
            LostEvents = new LostEvent { Source = LostEventSource.HubbleRingBuffer, NumEventsLost = 5 },
            NodeName = "dev/dev-worker1",
            Time = Timestamp.FromDateTimeOffset(TimeAt(100)),
        });
        // The aggregator counts first and the source's status after it: wait for both, not for one and race the other.
        await WaitUntil(
            () => test.Aggregator.LostEvents == 5 && source.Status.Snapshot() is { LostEvents: 5, Flows: 100 },
            "the lost events after the last flow arrive");

        var status = source.Status.Snapshot();
        Assert.Equal(100, test.Aggregator.Flows);
        Assert.Equal(100, status.Flows);
        // Resuming 1 s before flow 50 (the overlap for the relay's sort buffer) repeats flows 1-50; all are recognised.
        Assert.Equal(50, status.DuplicatesDropped);
        Assert.Equal(5, status.LostEvents);
        Assert.True(status.Disconnects >= 1);
        var byVerdict = test.Aggregator.FlowsProcessed().GroupBy(s => s.Label("verdict")).ToDictionary(g => g.Key!, g => g.Sum(s => s.Value));
        Assert.Equal(new Dictionary<string, long> { ["FORWARDED"] = 80, ["DROPPED"] = 20 }, byVerdict);
        Assert.All(test.Aggregator.FlowsProcessed(), s => Assert.Equal("dev", s.Label("cluster")));

        await stop.CancelAsync();
        await running.WaitAsync(Patience);
    }

    [Fact]
    public async Task A_relay_that_is_not_there_yet_is_retried_until_it_comes_up()
    {
        await using var relay = new FakeRelay();
        await relay.StartAsync();
        var port = relay.Port;
        await relay.StopAsync();
        using var test = new TestPipeline();
        var source = NewSource(new Uri($"http://127.0.0.1:{port}"), test);
        using var stop = new CancellationTokenSource();
        var running = source.RunAsync(stop.Token);

        await WaitUntil(() => source.Status.Snapshot().Disconnects >= 2, "connection attempts fail and are retried");
        var failing = source.Status.Snapshot();
        Assert.NotNull(failing.LastError);
        Assert.NotNull(failing.LastErrorAt);

        await relay.StartAsync(port);
        await WaitUntil(() => source.Status.Snapshot().Connected, "the collector connects once the relay is up");
        // The error before the relay came up is history: it happened before the connection that is up now.
        var connected = source.Status.Snapshot();
        Assert.True(connected.LastErrorAt <= connected.ConnectedSince, $"last error at {connected.LastErrorAt}, connected since {connected.ConnectedSince}");
        relay.Buffer.Add(Flows(1, 10));
        await WaitUntil(() => test.Aggregator.Flows == 10, "flows arrive");

        await stop.CancelAsync();
        await running.WaitAsync(Patience);
    }

    [Fact]
    public async Task Undecodable_messages_are_counted_and_skipped_without_breaking_the_stream()
    {
        await using var relay = new FakeRelay();
        await relay.StartAsync();
        using var test = new TestPipeline();
        var source = NewSource(relay.Address, test);
        using var stop = new CancellationTokenSource();
        var running = source.RunAsync(stop.Token);
        await WaitUntil(() => source.Status.Snapshot().Connected, "the collector connects");

        // A response whose flow field is cut short: what a peer speaking another schema or a corrupted frame looks like.
        relay.Buffer.Add(Flows(1, 3));
        relay.Buffer.AddRaw([0x0a, 0x7f, 0x08]);
        relay.Buffer.Add(Flows(4, 6));
        await WaitUntil(() => test.Aggregator.Flows == 6, "the flows around the bad message are counted");

        Assert.Equal(1, test.Aggregator.UndecodableFlows);
        Assert.Equal(1, source.Status.Snapshot().UndecodableFlows);
        Assert.Equal(0, source.Status.Snapshot().Disconnects);

        await stop.CancelAsync();
        await running.WaitAsync(Patience);
    }

    private static RelayFlowSource NewSource(Uri address, TestPipeline test) => new(
        "dev",
        RelayConnection.Direct(address),
        test.Pipeline,
        new FlowCollectorOptions { InitialReconnectDelay = TimeSpan.FromMilliseconds(20), MaxReconnectDelay = TimeSpan.FromMilliseconds(200) },
        TimeProvider.System,
        new Random(7),
        NullLogger<RelayFlowSource>.Instance);

    // Flow i happens at Start + i ms, except that 49, 50 and 51 share a timestamp.
    private static DateTimeOffset TimeAt(int i) => Start.AddMilliseconds(i is 50 or 51 ? 49 : i);

    private static IEnumerable<GetFlowsResponse> Flows(int from, int to)
    {
        for (var i = from; i <= to; i++)
        {
            var time = Timestamp.FromDateTimeOffset(TimeAt(i));
            yield return new GetFlowsResponse
            {
                Flow = new Flow
                {
                    Time = time,
                    Uuid = $"flow-{i}",
                    Verdict = i % 5 == 0 ? Verdict.Dropped : Verdict.Forwarded,
                    DropReasonDesc = i % 5 == 0 ? DropReason.PolicyDenied : DropReason.Unknown,
                    Type = FlowType.L3L4,
                    NodeName = "dev/dev-worker1",
                    EventType = new CiliumEventType { Type = i % 5 == 0 ? 1 : 4, SubType = i % 5 == 0 ? 133 : 0 },
                    L4 = new Layer4 { TCP = new TCP { SourcePort = (uint)(40000 + i), DestinationPort = 80, Flags = new TCPFlags { SYN = true } } },
                    Source = new Endpoint { Namespace = "demo", PodName = "nginx-web-1", Labels = { "k8s:app=nginx-web" } },
                    Destination = new Endpoint { Namespace = "demo", PodName = "httpbin-v1-1", Labels = { "k8s:app=httpbin", "k8s:version=v1" } },
                },
                NodeName = "dev/dev-worker1",
                Time = time,
            };
        }
    }

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(10);
        }
    }
}
