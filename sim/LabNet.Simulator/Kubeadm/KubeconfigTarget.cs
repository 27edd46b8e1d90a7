using YamlDotNet.RepresentationModel;

namespace LabNet.Simulator.Kubeadm;

/// <summary>The API server a kubeconfig file points a client at (its current context's cluster's server).</summary>
public static class KubeconfigTarget
{
    /// <summary>Reads the server URL; returns null with the error a Kubernetes client would print.</summary>
    public static string? Server(string content, string? context, out string? error)
    {
        error = null;
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(content));
        }
        catch (YamlDotNet.Core.YamlException ex)
        {
            error = $"error loading config file: yaml: line {ex.Start.Line}: {ex.Message}";
            return null;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            error = "invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable";
            return null;
        }

        string? Scalar(YamlMappingNode map, string key) =>
            map.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlScalarNode s ? s.Value : null;

        IEnumerable<YamlMappingNode> Items(string key) =>
            root.Children.TryGetValue(new YamlScalarNode(key), out var node) && node is YamlSequenceNode seq ? seq.Children.OfType<YamlMappingNode>() : [];

        var contextName = context ?? Scalar(root, "current-context");
        var contextEntry = Items("contexts").FirstOrDefault(c => Scalar(c, "name") == contextName);
        var clusterName = contextEntry is not null && contextEntry.Children.TryGetValue(new YamlScalarNode("context"), out var ctx) && ctx is YamlMappingNode ctxMap
            ? Scalar(ctxMap, "cluster")
            : null;
        if (clusterName is null)
        {
            error = string.IsNullOrEmpty(contextName)
                ? "invalid configuration: no configuration has been provided, try setting KUBERNETES_MASTER environment variable"
                : $"context \"{contextName}\" does not exist";
            return null;
        }

        var clusterEntry = Items("clusters").FirstOrDefault(c => Scalar(c, "name") == clusterName);
        var server = clusterEntry is not null && clusterEntry.Children.TryGetValue(new YamlScalarNode("cluster"), out var cl) && cl is YamlMappingNode clMap
            ? Scalar(clMap, "server")
            : null;
        if (string.IsNullOrEmpty(server))
        {
            error = $"invalid configuration: cluster has no server defined";
            return null;
        }

        return server;
    }
}
