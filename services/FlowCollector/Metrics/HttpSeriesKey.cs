namespace LabNet.FlowCollector.Metrics;

/// <summary>The non-context labels of hubble_http_requests_total: method, protocol, status, reporter (code).</summary>
public readonly record struct HttpSeriesKey(string Method, string Protocol, int Status, int Reporter);
