using LabNet.FlowCollector.Flows;
using LabNet.FlowCollector.Decoding;
using LabNet.FlowCollector.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace LabNet.FlowCollector.Tests.Metrics;

[Collection(ProcessWideMetricsCollection.Name)]
public sealed class PrometheusEndpointTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Fact]
    public async Task The_scrape_endpoint_shows_Hubble_metric_names_and_labels()
    {
        using var client = factory.CreateClient();
        var pipeline = factory.Services.GetRequiredService<FlowPipeline>();
        foreach (var capture in new[] { Capture.Drops, Capture.L7Http, Capture.L3L4Tcp })
        {
            await using var stream = File.OpenRead(Capture.PathOf(capture));
            await new JsonLinesIngestor(pipeline, NullLogger.Instance).IngestAsync(stream, capture, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        }

        var text = await client.GetStringAsync("/metrics").WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Contains("# TYPE hubble_flows_processed_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE hubble_drop_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE hubble_http_requests_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE hubble_http_request_duration_seconds histogram", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE hubble_tcp_flags_total counter", text, StringComparison.Ordinal);

        var policyDenied = text.Split('\n').Single(l => l.StartsWith("hubble_drop_total{", StringComparison.Ordinal) && l.Contains("reason=\"POLICY_DENIED\"", StringComparison.Ordinal));
        Assert.Contains("protocol=\"TCP\"", policyDenied, StringComparison.Ordinal);
        Assert.Contains("destination_workload=\"httpbin-v1\"", policyDenied, StringComparison.Ordinal);
        Assert.Contains("cluster=\"lab-dev\"", policyDenied, StringComparison.Ordinal);
        Assert.Equal("3", ValueOf(policyDenied));

        // Hubble's buckets (Prometheus defaults); the 999.96 ms response lands in le="1" but not le="0.5".
        Assert.Contains("le=\"0.005\"", text, StringComparison.Ordinal);
        Assert.Contains("le=\"10\"", text, StringComparison.Ordinal);
        string V2Bucket(string le) => ValueOf(text.Split('\n').Single(l =>
            l.StartsWith("hubble_http_request_duration_seconds_bucket{", StringComparison.Ordinal)
            && l.Contains("destination_version=\"v2\"", StringComparison.Ordinal)
            && l.Contains("method=\"GET\"", StringComparison.Ordinal)
            && l.Contains($"le=\"{le}\"", StringComparison.Ordinal)));
        Assert.Equal("1", V2Bucket("0.025"));
        Assert.Equal("1", V2Bucket("0.5"));
        Assert.Equal("2", V2Bucket("1"));
    }

    // "name{labels} value [timestamp]"
    private static string ValueOf(string line) => line[(line.LastIndexOf('}') + 2)..].Split(' ')[0];
}
