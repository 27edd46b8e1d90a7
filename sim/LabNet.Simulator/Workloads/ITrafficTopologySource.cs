namespace LabNet.Simulator.Workloads;

/// <summary>Where the generator learns a cluster's pods and Services; null while the cluster does not exist.</summary>
public interface ITrafficTopologySource
{
    TrafficTopology? Get(string cluster);
}
