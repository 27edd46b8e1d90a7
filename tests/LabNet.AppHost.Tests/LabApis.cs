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

    /// <summary>Waits until the canary resource's Phase property is one of <paramref name="phases"/>.</summary>
    public static Task<ResourceEvent> CanaryPhaseAsync(this DistributedApplication app, TimeSpan timeout, CancellationToken cancellationToken, params string[] phases) =>
        app.ResourceNotifications
            .WaitForResourceAsync(LabFixture.Canary, e => phases.Contains(LabFixture.Property(e, "canary.phase")), cancellationToken)
            .WaitAsync(timeout, cancellationToken);

    public static Task<ExecuteCommandResult> CommandAsync(this DistributedApplication app, string resource, string command, CancellationToken cancellationToken) =>
        app.ResourceCommands.ExecuteCommandAsync(resource, command, cancellationToken).WaitAsync(TestTimeouts.Command, cancellationToken);
}
