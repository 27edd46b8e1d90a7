namespace LabNet.FlowCollector.Traffic;

/// <summary>Requests to one version (Istio subset label) of one service in one namespace.</summary>
public readonly record struct TrafficSeriesKey(string Namespace, string Service, string Version);
