namespace LabNet.FlowCollector.Traffic;

/// <summary>
/// Requests to one version (Istio subset label) of one service in one namespace, as one side's proxy reported them
/// (Hubble's reporter code: 1 server/ingress, 2 client/egress, 0 unknown; drops are kept under 0), split by the value
/// of the routing probe header ("" without it).
/// </summary>
public readonly record struct TrafficSeriesKey(string Namespace, string Service, string Version, int Reporter, string ProbeValue = "");
