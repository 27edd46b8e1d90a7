using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using LabNet.FlowCollector.Decoding;
using LabNet.FlowCollector.Flows;
using LabNet.FlowCollector.Tests.Support;
using LabNet.Traffic;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace LabNet.FlowCollector.Tests.Traffic;

public sealed class TrafficSummaryEndpointTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    [Fact]
    public async Task Summary_of_ingested_flows_is_served_per_version()
    {
        using var client = factory.CreateClient();
        await using (var stream = File.OpenRead(Capture.PathOf(Capture.L7Http)))
        {
            await new JsonLinesIngestor(factory.Services.GetRequiredService<FlowPipeline>(), NullLogger.Instance)
                .IngestAsync(stream, Capture.L7Http, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        }

        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/traffic/summary?namespace=demo&service=httpbin&window=5m").WaitAsync(TimeSpan.FromSeconds(30)));

        var versions = json.RootElement.GetProperty("versions").EnumerateArray().ToDictionary(v => v.GetProperty("version").GetString()!);
        // The capture has one client-reported response besides the server-reported ones: the server's view is used.
        Assert.Equal("server", json.RootElement.GetProperty("reporter").GetString());
        Assert.Equal(4, versions["v1"].GetProperty("requests").GetInt64());
        Assert.Equal(3, versions["v2"].GetProperty("requests").GetInt64());
        Assert.Equal(1, versions["v2"].GetProperty("status5xx").GetInt64());
        Assert.Equal(2.0 / 3, versions["v2"].GetProperty("successRate").GetDouble(), 6);
        Assert.Equal(300, json.RootElement.GetProperty("windowSeconds").GetDouble());

        // Each version's latency histogram, every request in it, in the contract's buckets; the percentiles come from it.
        foreach (var (version, requests) in new[] { ("v1", 4), ("v2", 3) })
        {
            var latency = versions[version].GetProperty("latency");
            Assert.Equal(0.1, latency.GetProperty("firstBoundMs").GetDouble());
            Assert.Equal(1.05, latency.GetProperty("growth").GetDouble());
            Assert.Equal(requests, latency.GetProperty("counts").EnumerateArray().Sum(c => c.GetInt64()));
            var histogram = latency.Deserialize<LatencyHistogram>(TrafficSummaryApi.Json)!;
            Assert.Equal(Math.Round(histogram.QuantileMs(0.99)!.Value, 3), versions[version].GetProperty("latencyP99Ms").GetDouble());
        }
    }

    [Theory]
    [InlineData("/api/traffic/summary?namespace=demo&service=httpbin&probeHeader=x-debug&probeValue=1", "probeHeader is not the header the collector records")]
    [InlineData("/api/traffic/summary?service=httpbin", "namespace and service are required")]
    [InlineData("/api/traffic/summary?namespace=demo&service=httpbin&window=soon", "window is not a duration")]
    [InlineData("/api/traffic/summary?namespace=demo&service=httpbin&window=6m", "window is not a duration")]
    public async Task Bad_queries_get_a_400_that_says_how_to_ask(string url, string title)
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(url).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(title, problem.GetProperty("title").GetString());
    }
}
