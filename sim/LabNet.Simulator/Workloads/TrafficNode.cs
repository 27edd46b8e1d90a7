using System.Net;

namespace LabNet.Simulator.Workloads;

/// <summary>
/// A node of the cluster as traffic sees it: its address (Cilium's <c>reserved:host</c> on the node itself,
/// <c>reserved:remote-node</c> elsewhere) and, once Cilium has given the node a pod CIDR, its health endpoint's address.
/// </summary>
public sealed record TrafficNode(string Name, IPAddress Address, IPAddress? HealthAddress = null);
