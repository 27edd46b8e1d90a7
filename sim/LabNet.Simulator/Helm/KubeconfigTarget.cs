using System.Text.Json.Nodes;
using LabNet.Yaml;

namespace LabNet.Simulator.Helm;

/// <summary>The API server a kubeconfig file points a client at (its current context's cluster's server).</summary>
public static class KubeconfigTarget
{
    /// <summary>Reads the server URL; returns null with the error a Kubernetes client would print.</summary>
    public static string? Server(string content, string? context, out string? error)
    {
        error = null;
        JsonNode? config;
        try
        {
            config = YamlToJson.Parse(content);
        }
        catch (YamlToJsonException ex)
        {
            error = $"error loading config file: yaml: line {ex.Line}: {ex.Problem}";
            return null;
        }

        if (config is not JsonObject root)
        {
            error = "invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable";
            return null;
        }

        static string? Text(JsonNode? node) => node is JsonValue value ? value.ToString() : null;

        IEnumerable<JsonObject> Items(string key) => (root[key] as JsonArray)?.OfType<JsonObject>() ?? [];

        var contextName = context ?? Text(root["current-context"]);
        var clusterName = Text((Items("contexts").FirstOrDefault(c => Text(c["name"]) == contextName)?["context"] as JsonObject)?["cluster"]);
        if (clusterName is null)
        {
            error = string.IsNullOrEmpty(contextName)
                ? "invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable"
                : $"context \"{contextName}\" does not exist";
            return null;
        }

        var server = Text((Items("clusters").FirstOrDefault(c => Text(c["name"]) == clusterName)?["cluster"] as JsonObject)?["server"]);
        if (string.IsNullOrEmpty(server))
        {
            error = $"invalid configuration: cluster has no server defined";
            return null;
        }

        return server;
    }
}
