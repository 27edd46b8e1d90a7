namespace LabNet.Simulator.Kubernetes;

/// <summary>What <c>kubeadm init</c> decides about a cluster: its name, networks, version and control plane.</summary>
/// <param name="Name">The cluster name (the lab's cluster name, e.g. <c>dev</c>).</param>
/// <param name="PodCidr">From <c>--pod-network-cidr</c>.</param>
/// <param name="ServiceCidr">From <c>--service-cidr</c>; the first address is the <c>kubernetes</c> Service's ClusterIP.</param>
/// <param name="KubernetesVersion">e.g. <c>v1.31.14</c>.</param>
/// <param name="ControlPlaneNode">From <c>--node-name</c>.</param>
/// <param name="AdvertiseAddress">From <c>--apiserver-advertise-address</c>: the control plane VM's IP, which the certificates name.</param>
public sealed record ClusterBootstrap(
    string Name,
    string PodCidr,
    string ServiceCidr,
    string KubernetesVersion,
    string ControlPlaneNode,
    string AdvertiseAddress);
