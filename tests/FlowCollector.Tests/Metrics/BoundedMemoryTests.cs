using Google.Protobuf;
using Google.Protobuf.WellKnownTypes;
using LabNet.FlowCollector.Decoding;
using LabNet.FlowCollector.Flows;
using LabNet.FlowCollector.Metrics;
using LabNet.FlowCollector.Query;
using LabNet.FlowCollector.Traffic;
using LabNet.Hubble.FlowApi;
using LabNet.Hubble.ObserverApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace LabNet.FlowCollector.Tests.Metrics;

public sealed class BoundedMemoryTests
{
    [Fact]
    public void High_cardinality_flows_keep_every_table_within_its_cap()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var aggregator = new FlowAggregator(maxContexts: 500);
        var traffic = new TrafficRecorder(new FakeTimeProvider(), maxSeries: 50);
        var ring = new FlowRingBuffer(capacity: 1_000);
        var pipeline = new FlowPipeline(new HubbleMetrics(services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>(), aggregator), traffic, ring);
        var pool = new Utf8StringPool(maxEntries: 2_000);
        var decoder = new HubbleProtobufDecoder(pool);
        var flow = new FlowRecord();

        for (var i = 0; i < 50_000; i++)
        {
            // Every flow comes from and goes to a workload, app and version never seen before.
            var message = Response(i).ToByteArray();
            Assert.Equal(HubbleEventKind.Flow, decoder.Decode(message, flow, out _, out _));
            pipeline.Process(flow, "dev", message);
        }

        Assert.Equal(50_000, aggregator.Flows);
        Assert.True(aggregator.ContextCount <= 501, $"{aggregator.ContextCount} metric contexts");
        // Each HTTP response opens two contexts (its own and the request's), so the cap fills after 250 flows.
        Assert.Equal(50_000 - 250, aggregator.OverflowFlows);
        Assert.True(pool.Count <= 2_000, $"{pool.Count} pooled strings");
        Assert.Equal(50_000 - 50, traffic.RefusedFlows);
        Assert.Equal(1_000, ring.ReadAfter(-1).Payloads.Count);
    }

    private static GetFlowsResponse Response(int i)
    {
        var time = Timestamp.FromDateTimeOffset(new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero).AddMilliseconds(i));
        return new GetFlowsResponse
        {
            NodeName = "dev/dev-worker1",
            Time = time,
            Flow = new Flow
            {
                Time = time,
                Uuid = $"flow-{i}",
                Verdict = Verdict.Forwarded,
                Type = FlowType.L7,
                EventType = new CiliumEventType { Type = 129 },
                Source = new Endpoint { Namespace = "load", PodName = $"client-{i}", Labels = { $"k8s:app=client-{i}" }, Workloads = { new Workload { Name = $"client-{i}" } } },
                Destination = new Endpoint { Namespace = "load", PodName = $"server-{i}", Labels = { $"k8s:app=server-{i}", $"k8s:version=v{i}" } },
                L7 = new Layer7 { Type = L7FlowType.Response, LatencyNs = 1_000_000, Http = new HTTP { Code = 200, Method = "GET", Protocol = "HTTP/1.1" } },
                TrafficDirection = TrafficDirection.Ingress,
            },
        };
    }
}
