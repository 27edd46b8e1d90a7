namespace LabNet.Simulator.Traffic;

/// <summary><c>GET /traffic</c>: the settings in force; <c>PUT /traffic</c>: replace them (validated; the next step uses them).</summary>
public static class TrafficEndpoints
{
    public static IEndpointRouteBuilder MapTraffic(this IEndpointRouteBuilder app)
    {
        app.MapGet("/traffic", (TrafficSettingsStore store) => Results.Ok(store.Current));
        app.MapPut("/traffic", (TrafficSettings settings, TrafficSettingsStore store) =>
        {
            var errors = store.TryUpdate(settings);
            return errors.Count == 0
                ? Results.Ok(store.Current)
                : Results.ValidationProblem(new Dictionary<string, string[]> { ["traffic"] = [.. errors] }, detail: "The traffic settings were not changed.");
        });
        return app;
    }
}
