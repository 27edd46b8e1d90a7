using LabNet.CanaryController.Mesh;
using LabNet.CanaryController.Resources;

namespace LabNet.Benchmarks.CanaryQuality;

/// <summary>
/// The seed's Istio objects for httpbin in namespace demo: VirtualService httpbin-routing (x-canary: "true" -> v2, else
/// v1/v2 weighted) and DestinationRule httpbin-destination (subsets v1, v2), plus the Canary spec that targets them
/// (the same as manifests/canary/httpbin-canary.yaml).
/// </summary>
public static class HttpbinMesh
{
    public const string Namespace = "demo";

    public static MeshSnapshot WithCanaryWeight(int canaryWeight) => new(
        [
            new VirtualServiceInfo(Namespace, "httpbin-routing", ["httpbin"],
            [
                new HttpRouteInfo([new HeaderMatchInfo("x-canary", "true")], [new RouteDestinationInfo("httpbin", "v2", null)]),
                new HttpRouteInfo([], [new RouteDestinationInfo("httpbin", "v1", 100 - canaryWeight), new RouteDestinationInfo("httpbin", "v2", canaryWeight)]),
            ]),
        ],
        [new DestinationRuleInfo(Namespace, "httpbin-destination", "httpbin", ["v1", "v2"])]);

    /// <summary>The seed as shipped: v1 80 / v2 20.</summary>
    public static MeshSnapshot Seed => WithCanaryWeight(20);

    public static CanarySpec Spec => new()
    {
        Target = new CanaryTarget
        {
            Namespace = Namespace,
            Service = "httpbin",
            VirtualService = "httpbin-routing",
            DestinationRule = "httpbin-destination",
            StableSubset = "v1",
            CanarySubset = "v2",
        },
        Traffic = new TrafficStepsSpec { Steps = [20, 50, 80, 100] },
    };
}
