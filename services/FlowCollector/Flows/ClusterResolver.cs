namespace LabNet.FlowCollector.Flows;

/// <summary>
/// The <c>cluster</c> label of a flow: the configured cluster of the relay it came from, else the endpoint's
/// cluster_name, else the cluster part of a <c>cluster/node</c> node name. Remembers the last node name so that the
/// common case costs no allocation. Not thread-safe: one per source.
/// </summary>
public sealed class ClusterResolver(string configuredCluster = "")
{
    private string _lastNodeName = "";
    private string _lastCluster = "";

    public string Resolve(FlowRecord flow)
    {
        if (configuredCluster.Length > 0)
        {
            return configuredCluster;
        }

        if (flow.Source.ClusterName.Length > 0)
        {
            return flow.Source.ClusterName;
        }

        if (ReferenceEquals(flow.NodeName, _lastNodeName) || flow.NodeName == _lastNodeName)
        {
            return _lastCluster;
        }

        var slash = flow.NodeName.IndexOf('/', StringComparison.Ordinal);
        _lastNodeName = flow.NodeName;
        _lastCluster = slash > 0 ? flow.NodeName[..slash] : "";
        return _lastCluster;
    }
}
