using LabNet.Benchmarks.CanaryQuality;
using LabNet.CanaryController.Resources;

namespace LabNet.CanaryController.Tests;

/// <summary>The seed's httpbin Canary (manifests/canary/httpbin-canary.yaml).</summary>
internal static class Fixtures
{
    public static CanarySpec Spec => HttpbinMesh.Spec;

    /// <summary>
    /// The httpbin Canary with a 5-point minimum detectable effect, so the first step needs about 170 canary requests
    /// for its power instead of about 1200, and the p99 guards judging from 100 requests (the CRD's minimum) instead of
    /// 500, so that a step's minimum of 200 requests is what it waits for and state-machine tests pass a step in a few
    /// windows.
    /// </summary>
    public static CanarySpec FastSpec => Spec with
    {
        Test = new SequentialTestSpec { MinimumDetectableEffectPercent = 5 },
        Guards = new GuardsSpec { MinLatencySamples = 100 },
    };
}
