using System.Text.Json.Nodes;
using LabNet.Simulator.Kubeadm;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Helm.Charts;

/// <summary>One chart install: the release, its namespace, its computed values and the cluster it goes to.</summary>
public sealed record ChartContext(
    string Release,
    string Namespace,
    JsonObject Values,
    IClusterApi Api,
    KubeadmCluster? Cluster,
    DateTimeOffset Now,
    Clock.SimulationRandom Random);
