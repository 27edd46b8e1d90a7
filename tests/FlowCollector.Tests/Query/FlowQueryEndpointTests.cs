using System.Net;
using System.Text.Json;
using Google.Protobuf;
using LabNet.FlowCollector.Query;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LabNet.FlowCollector.Tests.Query;

public sealed class FlowQueryEndpointTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Dropped_flows_are_returned_as_hubble_observe_json_lines()
    {
        using var client = factory.CreateClient();
        var buffer = factory.Services.GetRequiredService<FlowRingBuffer>();
        buffer.Add(QueryFlows.Http(1, "httpbin-v1-abc", "nginx-web-1", 200).ToByteArray());
        buffer.Add(QueryFlows.PolicyDrop(2).ToByteArray());

        using var response = await client.GetAsync("/api/flows?verdict=DROPPED&namespace=demo").WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        var line = Assert.Single((await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("""{"flow":{"time":"2026-11-26T06:00:02Z","verdict":"DROPPED",""", line, StringComparison.Ordinal);
        using var json = JsonDocument.Parse(line);
        var flow = json.RootElement.GetProperty("flow");
        Assert.Equal("flow-2", flow.GetProperty("uuid").GetString());
        Assert.Equal("POLICY_DENIED", flow.GetProperty("drop_reason_desc").GetString());
        Assert.Equal("L3_L4", flow.GetProperty("Type").GetString());
        Assert.True(flow.GetProperty("l4").GetProperty("TCP").GetProperty("flags").GetProperty("SYN").GetBoolean());
        Assert.Equal("dev/dev-worker1", json.RootElement.GetProperty("node_name").GetString());
        Assert.Equal("2026-11-26T06:00:02Z", json.RootElement.GetProperty("time").GetString());
    }

    [Fact]
    public async Task Follow_streams_new_matching_flows_as_server_sent_events()
    {
        using var client = factory.CreateClient();
        var buffer = factory.Services.GetRequiredService<FlowRingBuffer>();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/flows?follow=true&http-status=5%2B&last=1");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead).WaitAsync(Patience);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());

        buffer.Add(QueryFlows.Http(10, "httpbin-v1-abc", "nginx-web-1", 200).ToByteArray());
        buffer.Add(QueryFlows.Http(11, "httpbin-v2-def", "nginx-web-1", 503).ToByteArray());

        var data = await ReadEventAsync(reader).WaitAsync(Patience);
        using var json = JsonDocument.Parse(data);
        Assert.Equal("flow-11", json.RootElement.GetProperty("flow").GetProperty("uuid").GetString());
        Assert.Equal(503, json.RootElement.GetProperty("flow").GetProperty("l7").GetProperty("http").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task A_bad_filter_gets_a_400_naming_it()
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync("/api/flows?verdict=MAYBE").WaitAsync(Patience);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("verdict='MAYBE'", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<string> ReadEventAsync(StreamReader reader)
    {
        while (await reader.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                return line["data: ".Length..];
            }
        }

        throw new InvalidOperationException("the event stream ended");
    }
}
