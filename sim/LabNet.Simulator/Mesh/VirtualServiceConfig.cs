using LabNet.Simulator.Cilium.Policy;

namespace LabNet.Simulator.Mesh;

/// <summary>A VirtualService as the sidecars use it: fully qualified hosts, the gateways it binds to, its ordered HTTP routes.</summary>
/// <param name="Hosts">Short names already made fully qualified in the VirtualService's namespace; <c>*</c> kept as is.</param>
/// <param name="Gateways">Empty means <c>mesh</c> (every sidecar).</param>
public sealed record VirtualServiceConfig(
    string Namespace,
    string Name,
    IReadOnlyList<string> Hosts,
    IReadOnlyList<string> Gateways,
    IReadOnlyList<HttpRouteConfig> Http)
{
    public bool AppliesToSidecars => Gateways.Count == 0 || Gateways.Contains("mesh");

    public bool MatchesHost(string fqdn)
    {
        foreach (var host in Hosts)
        {
            if (host == "*" || string.Equals(host, fqdn, StringComparison.OrdinalIgnoreCase)
                || (host.StartsWith("*.", StringComparison.Ordinal) && fqdn.EndsWith(host[1..], StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>One entry of <c>http[]</c>: the match blocks (OR'ed; none = catch all) and where matching requests go.</summary>
public sealed record HttpRouteConfig(
    string? Name,
    IReadOnlyList<HttpMatchConfig> Match,
    IReadOnlyList<RouteDestinationConfig> Route,
    TimeSpan? Timeout,
    HttpFaultConfig? Fault,
    RetryPolicyConfig? Retries = null)
{
    public int TotalWeight { get; } = Route.Sum(r => r.Weight);

    public bool Matches(HttpRequestInfo request, int port, IReadOnlyDictionary<string, string> sourceLabels)
    {
        if (Match.Count == 0)
        {
            return true;
        }

        foreach (var block in Match)
        {
            if (block.Matches(request, port, sourceLabels))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>One match block: every condition present must hold (AND).</summary>
public sealed record HttpMatchConfig(
    IReadOnlyList<KeyValuePair<string, StringMatch>> Headers,
    IReadOnlyList<string> WithoutHeaders,
    StringMatch? Uri,
    StringMatch? Method,
    int? Port,
    IReadOnlyDictionary<string, string> SourceLabels)
{
    public bool Matches(HttpRequestInfo request, int port, IReadOnlyDictionary<string, string> sourceLabels)
    {
        if (Port is { } wanted && wanted != port)
        {
            return false;
        }

        if (Method is not null && !Method.Matches(request.Method))
        {
            return false;
        }

        if (Uri is not null)
        {
            // Istio matches uri against the path without the query string.
            var query = request.Path.IndexOf('?');
            if (!Uri.Matches(query < 0 ? request.Path : request.Path[..query]))
            {
                return false;
            }
        }

        foreach (var (name, match) in Headers)
        {
            if (!request.TryGetHeader(name, out var value) || !match.Matches(value))
            {
                return false;
            }
        }

        foreach (var name in WithoutHeaders)
        {
            if (request.TryGetHeader(name, out _))
            {
                return false;
            }
        }

        foreach (var (key, value) in SourceLabels)
        {
            if (!sourceLabels.TryGetValue(key, out var actual) || actual != value)
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>A weighted destination: a fully qualified host, an optional subset and port.</summary>
public sealed record RouteDestinationConfig(string Host, string? Subset, int? Port, int Weight);

/// <summary>A route's <c>fault</c>: abort a share of requests with a status, delay a share by a fixed time.</summary>
public sealed record HttpFaultConfig(double AbortPercent, int AbortStatus, double DelayPercent, TimeSpan Delay);
