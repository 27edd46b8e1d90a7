using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace LabNet.AppHost.Tests;

/// <summary>
/// Spans as the dashboard holds them, from its telemetry API (<c>GET /api/telemetry/spans</c>, OTLP JSON). The client
/// sends the API key the AppHost gave the dashboard (its <c>DASHBOARD__API__PRIMARYAPIKEY</c>), as the Aspire CLI does.
/// </summary>
internal static class DashboardTelemetry
{
    public static async Task<IReadOnlyList<JsonObject>> SpansAsync(this DistributedApplication app, string resource, CancellationToken cancellationToken)
    {
        var login = await app.GetDashboardUrlAsync(cancellationToken).WaitAsync(TestTimeouts.ResourceHealthy, cancellationToken);
        using var http = new HttpClient { BaseAddress = new Uri(login.GetLeftPart(UriPartial.Authority)) };
        if (ApiKey(app) is { } key)
        {
            http.DefaultRequestHeaders.Add("x-api-key", key);
        }

        var body = await http.GetFromJsonAsync<JsonObject>($"/api/telemetry/spans?resource={Uri.EscapeDataString(resource)}&limit=5000", cancellationToken)
            ?? throw new InvalidOperationException("The dashboard's telemetry API answered with an empty body.");
        return
        [
            .. body["data"]?["resourceSpans"]?.AsArray().OfType<JsonObject>()
                .SelectMany(r => r["scopeSpans"]?.AsArray().OfType<JsonObject>() ?? [])
                .SelectMany(s => s["spans"]?.AsArray().OfType<JsonObject>() ?? []) ?? [],
        ];
    }

    private static string? ApiKey(DistributedApplication app)
    {
        var model = app.Services.GetRequiredService<DistributedApplicationModel>();
        foreach (var resource in model.Resources)
        {
            if (app.ResourceNotifications.TryGetCurrentState(resource.Name, out var state)
                && state.Snapshot.EnvironmentVariables.FirstOrDefault(v => v.Name == "DASHBOARD__API__PRIMARYAPIKEY") is { Value: { Length: > 0 } key })
            {
                return key;
            }
        }

        return null;
    }

    /// <summary>An attribute's value as text, whatever its OTLP kind (string, int, double, bool).</summary>
    public static string? Attribute(this JsonObject span, string key) =>
        span["attributes"]?.AsArray().OfType<JsonObject>()
            .FirstOrDefault(a => (string?)a["key"] == key)?["value"] is JsonObject value
            && (value["stringValue"] ?? value["intValue"] ?? value["doubleValue"] ?? value["boolValue"]) is { } text
                ? text.ToString()
                : null;
}
