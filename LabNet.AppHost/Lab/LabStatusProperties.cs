using System.Collections.Immutable;
using System.Text.Json.Nodes;

namespace LabNet.AppHost.Lab;

/// <summary>Turns the Provisioner's status into the lab resource's dashboard properties: one line per cluster.</summary>
internal static class LabStatusProperties
{
    public static ImmutableArray<ResourcePropertySnapshot> From(JsonObject status)
    {
        var progress = status["progress"];
        var properties = ImmutableArray.CreateBuilder<ResourcePropertySnapshot>();
        properties.Add(new ResourcePropertySnapshot("lab.operation", progress?["operation"]?.GetValue<string>() ?? "idle")
        {
            DisplayName = "Operation",
            IsHighlighted = true,
            SortOrder = 0,
        });

        var order = 1;
        foreach (var cluster in progress?["clusters"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            var name = cluster["cluster"]!.GetValue<string>();
            var state = cluster["state"]?.ToString() ?? "Pending";
            var phase = cluster["phase"]?.GetValue<string>();
            var done = cluster["stepsDone"]?.GetValue<int>() ?? 0;
            var total = cluster["stepsTotal"]?.GetValue<int>() ?? 0;
            var error = cluster["error"]?.GetValue<string>();
            var text = error is null ? $"{state}: {phase ?? "-"} {done}/{total} steps" : $"{state}: {error}";
            properties.Add(new ResourcePropertySnapshot($"lab.cluster.{name}", text) { DisplayName = $"Cluster {name}", IsHighlighted = true, SortOrder = order++ });
        }

        if (status["lastResult"]?["status"]?.GetValue<string>() is { } last)
        {
            properties.Add(new ResourcePropertySnapshot("lab.last", last) { DisplayName = "Last operation", IsHighlighted = true, SortOrder = order });
        }

        return properties.ToImmutable();
    }
}
