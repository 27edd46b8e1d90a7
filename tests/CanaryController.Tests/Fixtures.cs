using LabNet.Benchmarks.CanaryQuality;
using LabNet.CanaryController.Resources;

namespace LabNet.CanaryController.Tests;

/// <summary>The seed's httpbin Canary (manifests/canary/httpbin-canary.yaml).</summary>
internal static class Fixtures
{
    public static CanarySpec Spec => HttpbinMesh.Spec;
}
