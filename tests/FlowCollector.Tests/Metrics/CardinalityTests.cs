using LabNet.FlowCollector.Flows;
using LabNet.FlowCollector.Metrics;

namespace LabNet.FlowCollector.Tests.Metrics;

public sealed class CardinalityTests
{
    [Fact]
    public void Contexts_past_the_cap_go_to_the_other_series_and_are_counted()
    {
        var aggregator = new FlowAggregator(maxContexts: 10);
        var flow = new FlowRecord();
        for (var i = 0; i < 1_000; i++)
        {
            flow.Reset();
            flow.Verdict = 1;
            flow.Source.Namespace = "demo";
            flow.Source.Workload = $"load-generator-{i}";
            flow.Destination.Namespace = "demo";
            flow.Destination.Workload = "httpbin";
            aggregator.Add(flow, "dev", out _);
        }

        var series = aggregator.FlowsProcessed();
        Assert.Equal(11, series.Count);
        Assert.Equal(1_000, series.Sum(s => s.Value));
        Assert.Equal(990, Assert.Single(series, s => s.Context == MetricContext.Other).Value);
        Assert.Equal(990, aggregator.OverflowFlows);
        Assert.Equal(11, aggregator.ContextCount);
    }
}
