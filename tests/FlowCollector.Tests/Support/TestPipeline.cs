using System.Diagnostics.Metrics;
using LabNet.FlowCollector.Decoding;
using LabNet.FlowCollector.Flows;
using LabNet.FlowCollector.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace LabNet.FlowCollector.Tests.Support;

/// <summary>A collector pipeline with its own meter factory, fed from capture files.</summary>
public sealed class TestPipeline : IDisposable
{
    private readonly ServiceProvider _services;

    public TestPipeline(int maxContexts = FlowAggregator.DefaultMaxContexts)
    {
        _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        MeterFactory = _services.GetRequiredService<IMeterFactory>();
        Aggregator = new FlowAggregator(maxContexts);
        Pipeline = new FlowPipeline(new HubbleMetrics(MeterFactory, Aggregator));
    }

    public IMeterFactory MeterFactory { get; }

    public FlowAggregator Aggregator { get; }

    public FlowPipeline Pipeline { get; }

    public async Task<JsonLinesResult> IngestAsync(string file)
    {
        await using var stream = File.OpenRead(file);
        return await new JsonLinesIngestor(Pipeline, NullLogger.Instance)
            .IngestAsync(stream, file, CancellationToken.None)
            .WaitAsync(TimeSpan.FromSeconds(30));
    }

    public void Dispose() => _services.Dispose();
}
