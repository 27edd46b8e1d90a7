using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace LabNet.AppHost.Tests;

/// <summary>Reads the services' own APIs, to check what a dashboard command did.</summary>
internal static class LabApis
{
    /// <summary>The httpbin Canary from the CanaryController's <c>GET /api/canaries</c>.</summary>
    public static async Task<JsonObject> CanaryAsync(this DistributedApplication app, CancellationToken cancellationToken)
    {
        using var client = app.CreateHttpClient("canarycontroller");
        var canaries = await client.GetFromJsonAsync<JsonArray>("/api/canaries", cancellationToken) ?? [];
        return canaries.OfType<JsonObject>().Single(c => (string?)c["namespace"] == "demo" && (string?)c["name"] == "httpbin");
    }

    /// <summary>The simulator's traffic settings (<c>GET /traffic</c>).</summary>
    public static async Task<JsonObject> TrafficAsync(this DistributedApplication app, CancellationToken cancellationToken)
    {
        using var client = app.CreateHttpClient("simulator");
        return await client.GetFromJsonAsync<JsonObject>("/traffic", cancellationToken)
            ?? throw new InvalidOperationException("GET /traffic answered with an empty body.");
    }

    /// <summary>Replaces the simulator's traffic settings (<c>PUT /traffic</c>), as a person changing how a version answers would.</summary>
    public static async Task PutTrafficAsync(this DistributedApplication app, JsonObject settings, CancellationToken cancellationToken)
    {
        using var client = app.CreateHttpClient("simulator");
        using var response = await client.PutAsJsonAsync("/traffic", settings, cancellationToken);
        Assert.True(response.IsSuccessStatusCode, $"PUT /traffic answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(cancellationToken)}");
    }

    /// <summary>Polls the CanaryController's <c>GET /api/canaries</c> until the httpbin Canary satisfies <paramref name="done"/>.</summary>
    public static async Task<JsonObject> CanaryUntilAsync(this DistributedApplication app, Func<JsonObject, bool> done, string what, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        JsonObject? last = null;
        try
        {
            while (true)
            {
                last = await app.CanaryAsync(cts.Token);
                if (done(last))
                {
                    return last;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(500), cts.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"the canary was not {what} within {timeout.TotalSeconds:0} s; last: {last?.ToJsonString()}");
        }
    }

    /// <summary>The FlowCollector's relay sources and counts (<c>GET /api/sources</c>).</summary>
    public static async Task<JsonObject> SourcesAsync(this DistributedApplication app, CancellationToken cancellationToken)
    {
        using var client = app.CreateHttpClient("flowcollector");
        return await client.GetFromJsonAsync<JsonObject>("/api/sources", cancellationToken)
            ?? throw new InvalidOperationException("GET /api/sources answered with an empty body.");
    }

    /// <summary>The Prometheus text of a service's <c>/metrics</c> (the same instruments the dashboard gets over OTLP).</summary>
    public static async Task<IReadOnlyList<string>> MetricsAsync(this DistributedApplication app, string resource, CancellationToken cancellationToken)
    {
        using var client = app.CreateHttpClient(resource);
        var text = await client.GetStringAsync("/metrics", cancellationToken);
        return text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => !line.StartsWith('#')).ToArray();
    }

    /// <summary>The sample value of a Prometheus line (<c>name{labels} value [timestamp]</c>).</summary>
    public static double SampleValue(string line) =>
        double.Parse(line[(line.LastIndexOf('}') + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Waits until the canary resource's Phase property is one of <paramref name="phases"/>.</summary>
    public static Task<ResourceEvent> CanaryPhaseAsync(this DistributedApplication app, TimeSpan timeout, CancellationToken cancellationToken, params string[] phases) =>
        app.ResourceNotifications
            .WaitForResourceAsync(LabFixture.Canary, e => phases.Contains(LabFixture.Property(e, "canary.phase")), cancellationToken)
            .WaitAsync(timeout, cancellationToken);

    public static Task<ExecuteCommandResult> CommandAsync(this DistributedApplication app, string resource, string command, CancellationToken cancellationToken) =>
        app.ResourceCommands.ExecuteCommandAsync(resource, command, cancellationToken).WaitAsync(TestTimeouts.Command, cancellationToken);
}
