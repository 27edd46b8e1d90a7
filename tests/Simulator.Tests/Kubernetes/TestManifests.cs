namespace LabNet.Simulator.Tests.Kubernetes;

/// <summary>The test manifests (tests/Simulator.Tests/Kubernetes/Manifests), for kubectl to apply by relative path.</summary>
internal static class TestManifests
{
    public static void CopyManifests(this Kubectl kubectl) => kubectl.CopyFrom(Path.Combine(AppContext.BaseDirectory, "Kubernetes", "Manifests"));
}
