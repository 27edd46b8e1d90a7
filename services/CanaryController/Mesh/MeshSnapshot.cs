namespace LabNet.CanaryController.Mesh;

/// <summary>
/// The Istio objects in the Canary's namespace as last read from the cluster, reduced to what the controller checks
/// and edits. The Kubernetes adapter builds it; the decision core only reads it.
/// </summary>
public sealed record MeshSnapshot(
    IReadOnlyList<VirtualServiceInfo> VirtualServices,
    IReadOnlyList<DestinationRuleInfo> DestinationRules)
{
    public static MeshSnapshot Empty { get; } = new([], []);

    public VirtualServiceInfo? FindVirtualService(string @namespace, string name) =>
        VirtualServices.FirstOrDefault(vs => vs.Namespace == @namespace && vs.Name == name);

    public DestinationRuleInfo? FindDestinationRule(string @namespace, string name) =>
        DestinationRules.FirstOrDefault(dr => dr.Namespace == @namespace && dr.Name == name);
}

public sealed record VirtualServiceInfo(string Namespace, string Name, IReadOnlyList<string> Hosts, IReadOnlyList<HttpRouteInfo> HttpRoutes)
{
    /// <summary>The first route matching only on header == value, sending everything to one subset.</summary>
    public HttpRouteInfo? FindHeaderRoute(string header, string value) =>
        HttpRoutes.FirstOrDefault(route => route.HeaderMatches.Any(match =>
            string.Equals(match.Header, header, StringComparison.OrdinalIgnoreCase) && match.ExactValue == value));

    /// <summary>The route without a match that splits the service between the two subsets (the one the ramp edits).</summary>
    public HttpRouteInfo? FindWeightedRoute(string service, string @namespace, string stableSubset, string canarySubset) =>
        HttpRoutes.FirstOrDefault(route => route.HeaderMatches.Count == 0
            && route.Destinations.Any(d => d.Subset == stableSubset && ServiceHost.Matches(d.Host, service, @namespace))
            && route.Destinations.Any(d => d.Subset == canarySubset && ServiceHost.Matches(d.Host, service, @namespace)));
}

public sealed record HttpRouteInfo(IReadOnlyList<HeaderMatchInfo> HeaderMatches, IReadOnlyList<RouteDestinationInfo> Destinations)
{
    /// <summary>Weight of a subset's destination; Istio treats a missing weight on a single destination as 100.</summary>
    public int? WeightOf(string subset)
    {
        var destination = Destinations.FirstOrDefault(d => d.Subset == subset);
        if (destination is null)
        {
            return null;
        }

        return destination.Weight ?? (Destinations.Count == 1 ? 100 : 0);
    }
}

/// <summary>An <c>exact</c> header match.</summary>
public sealed record HeaderMatchInfo(string Header, string ExactValue);

public sealed record RouteDestinationInfo(string Host, string? Subset, int? Weight);

public sealed record DestinationRuleInfo(string Namespace, string Name, string Host, IReadOnlyList<string> Subsets);

/// <summary>Istio accepts a service as its short name, name.namespace, or the cluster FQDN.</summary>
public static class ServiceHost
{
    public static bool Matches(string host, string service, string @namespace) =>
        host == service
        || host == $"{service}.{@namespace}"
        || host == $"{service}.{@namespace}.svc"
        || host == $"{service}.{@namespace}.svc.cluster.local";
}
