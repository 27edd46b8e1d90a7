using System.Text.Json;
using LabNet.FlowCollector.Tests.Query;
using LabNet.FlowCollector.Tests.Support;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LabNet.FlowCollector.Tests.Relay;

[Collection(ProcessWideMetricsCollection.Name)]
public sealed class CollectorWithRelayTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_configured_relay_feeds_metrics_flow_query_traffic_summary_and_source_status()
    {
        await using var relay = new FakeRelay();
        await relay.StartAsync();
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
            web.UseSetting("FlowCollector:Relays:dev", relay.Address.ToString()));
        using var client = factory.CreateClient();

        await WaitUntil(async () => (await Sources(client)).GetProperty("connected").GetBoolean(), "the collector connects to the relay");
        relay.Buffer.Add(
            QueryFlows.Http(1, "httpbin-v1-abc", "nginx-web-1", 200),
            QueryFlows.Http(2, "httpbin-v1-abc", "nginx-web-1", 503),
            QueryFlows.PolicyDrop(3));
        await WaitUntil(async () => (await Sources(client)).GetProperty("flows").GetInt64() == 3, "three flows are counted");

        var dropped = (await client.GetStringAsync("/api/flows?verdict=DROPPED").WaitAsync(Patience)).Trim();
        using (var json = JsonDocument.Parse(dropped))
        {
            Assert.Equal("POLICY_DENIED", json.RootElement.GetProperty("flow").GetProperty("drop_reason_desc").GetString());
        }

        var metrics = await client.GetStringAsync("/metrics").WaitAsync(Patience);
        Assert.Contains(metrics.Split('\n'), l => l.StartsWith("hubble_drop_total{", StringComparison.Ordinal)
            && l.Contains("cluster=\"dev\"", StringComparison.Ordinal) && l.Contains("reason=\"POLICY_DENIED\"", StringComparison.Ordinal));

        using var summary = JsonDocument.Parse(await client.GetStringAsync("/api/traffic/summary?namespace=demo&service=httpbin&window=1m").WaitAsync(Patience));
        Assert.Equal(2, summary.RootElement.GetProperty("total").GetProperty("requests").GetInt64());
        Assert.Equal(0.5, summary.RootElement.GetProperty("total").GetProperty("successRate").GetDouble());
    }

    private static async Task<JsonElement> Sources(HttpClient client)
    {
        using var json = JsonDocument.Parse(await client.GetStringAsync("/api/sources").WaitAsync(Patience));
        return json.RootElement.GetProperty("relays")[0].Clone();
    }

    private static async Task WaitUntil(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"timed out waiting until {what}");
            await Task.Delay(20);
        }
    }
}
