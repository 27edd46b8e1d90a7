using LabNet.Simulator.Traffic;
using LabNet.Simulator.Workloads;

namespace LabNet.Simulator.Tests.Mesh;

public sealed class PodFaultSettingsTests
{
    [Fact]
    public void A_pod_fault_is_validated_like_a_version_and_names_the_pod()
    {
        var errors = new TrafficSettings { Pods = new() { ["httpbin-v2-abc"] = new VersionBehaviour(1.5, 10, 60) } }.Validate();

        Assert.Equal(["pods.httpbin-v2-abc.errorRate: 1.5 is not a share; use 0 to 1."], errors);
    }

    [Fact]
    public void A_pod_fault_overrides_its_version_and_other_pods_keep_the_versions_behaviour()
    {
        var settings = new TrafficSettings { Pods = new() { [MeshLab.HttpbinV2.Name] = new VersionBehaviour(1.0, 10, 60) } };

        Assert.Equal(1.0, settings.BehaviourOf(MeshLab.HttpbinV2).ErrorRate);
        Assert.Equal(settings.Versions["v1"], settings.BehaviourOf(MeshLab.HttpbinV1a));
    }
}
