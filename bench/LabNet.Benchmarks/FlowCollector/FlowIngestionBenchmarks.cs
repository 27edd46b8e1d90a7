using System.Diagnostics.Metrics;
using System.Text;
using BenchmarkDotNet.Attributes;
using LabNet.FlowCollector.Decoding;
using LabNet.FlowCollector.Flows;
using LabNet.FlowCollector.Metrics;
using LabNet.Hubble.ObserverApi;

namespace LabNet.Benchmarks.FlowCollector;

/// <summary>
/// FlowCollector ingestion, single-threaded: decode + aggregate flows/s from protobuf GetFlowsResponse messages
/// (issue 7 target >= 1,000,000/s), from <c>hubble observe -o json</c> lines (target >= 400,000/s), and the naive
/// JSON baseline (System.Text.Json objects + dictionaries) for the ratio. Each operation is one flow.
/// </summary>
[MemoryDiagnoser]
public class FlowIngestionBenchmarks
{
    private const int FlowCount = 20_000;

    private HubbleFlowDataset _dataset = null!;
    private string[] _jsonLineStrings = null!;
    private FlowPipeline _pipeline = null!;
    private BenchmarkMeterFactory _meterFactory = null!;

    [GlobalSetup]
    public void Setup()
    {
        _dataset = new HubbleFlowDataset(FlowCount);
        _jsonLineStrings = Encoding.UTF8.GetString(_dataset.JsonLines).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        _meterFactory = new BenchmarkMeterFactory();
        _pipeline = new FlowPipeline(new HubbleMetrics(_meterFactory, new FlowAggregator()));
        EnsureEveryLineIsAFlow();
    }

    // The JSON benchmark must measure decoding, not the malformed-line path.
    private void EnsureEveryLineIsAFlow()
    {
        var decoder = new HubbleJsonDecoder();
        var flow = new FlowRecord();
        foreach (var line in _jsonLineStrings)
        {
            if (decoder.Decode(Encoding.UTF8.GetBytes(line), flow, out _, out var error) != HubbleEventKind.Flow)
            {
                throw new InvalidOperationException($"The dataset line is not decoded as a flow ({error}): {line}");
            }
        }
    }

    [GlobalCleanup]
    public void Cleanup() => _meterFactory.Dispose();

    /// <summary>What the relay source does: GetFlowsResponse bytes decoded straight into the reused record.</summary>
    [Benchmark(OperationsPerInvoke = FlowCount)]
    public long Protobuf_decode_and_aggregate()
    {
        var decoder = new HubbleProtobufDecoder();
        var flow = new FlowRecord();
        foreach (var message in _dataset.ProtobufMessages)
        {
            if (decoder.Decode(message, flow, out _, out _) == HubbleEventKind.Flow)
            {
                _pipeline.Process(flow, "dev");
            }
        }

        return _pipeline.Aggregator.Flows;
    }

    /// <summary>For comparison: the generated Google.Protobuf parser (a message graph per flow) then mapping.</summary>
    [Benchmark(OperationsPerInvoke = FlowCount)]
    public long Protobuf_generated_parse_and_aggregate()
    {
        var mapper = new ProtoFlowMapper();
        var flow = new FlowRecord();
        foreach (var message in _dataset.ProtobufMessages)
        {
            var response = GetFlowsResponse.Parser.ParseFrom(message);
            mapper.Fill(response.Flow, response.NodeName, response.Time, flow);
            _pipeline.Process(flow, "dev");
        }

        return _pipeline.Aggregator.Flows;
    }

    [Benchmark(OperationsPerInvoke = FlowCount)]
    public async Task<long> Json_lines_decode_and_aggregate()
    {
        var decoder = new HubbleJsonDecoder();
        var flow = new FlowRecord();
        var clusters = new ClusterResolver();
        await Utf8LineReader.ReadAllAsync(
            new MemoryStream(_dataset.JsonLines, writable: false),
            (line, lineNumber) =>
            {
                if (decoder.Decode(line, flow, out _, out _) == HubbleEventKind.Flow)
                {
                    _pipeline.Process(flow, clusters.Resolve(flow));
                }
            },
            _ => { },
            CancellationToken.None);
        return _pipeline.Aggregator.Flows;
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = FlowCount)]
    public async Task<int> Naive_json_objects_and_dictionaries()
    {
        var naive = new NaiveFlowAggregation();
        using var reader = new StreamReader(new MemoryStream(_dataset.JsonLines, writable: false));
        while (await reader.ReadLineAsync() is { } line)
        {
            naive.Add(line);
        }

        return naive.Flows.Count;
    }

    private sealed class BenchmarkMeterFactory : IMeterFactory
    {
        private readonly List<Meter> _meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            _meters.Add(meter);
            return meter;
        }

        public void Dispose() => _meters.ForEach(m => m.Dispose());
    }
}
