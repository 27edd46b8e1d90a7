using System.Net.Http.Json;

namespace LabNet.Simulator.Tests.LabWorld;

public sealed class KubeadmFaultTests
{
    [Fact]
    public async Task The_kubeadm_init_fails_fault_fails_init_once_in_wait_control_plane_and_a_retry_after_reset_works()
    {
        await using var world = new LabWorldFactory();
        var spec = LabSpec.Load();
        var dev = spec.Clusters.Single(c => c.Name == "dev");
        var tools = world.Tools();
        var install = new OriginalLabInstall(tools, spec with { Clusters = [dev] });
        using var http = world.CreateClient();
        (await http.PostAsJsonAsync("/faults", new { kind = "kubeadm-init-fails", vm = "dev-master" })).EnsureSuccessStatusCode();

        var failure = await Assert.ThrowsAsync<InstallFailed>(() => install.UpToJoinAsync().WaitAsync(TimeSpan.FromMinutes(2)));

        Assert.Equal("kubeadm init dev-master", failure.Step);
        Assert.Contains("[kubelet-check] The kubelet is not healthy after 4m0", failure.Result.Stdout);
        Assert.StartsWith("error execution phase wait-control-plane: failed while waiting for the kubelet to start", failure.Result.Stderr);

        // install.sh's phase 5 starts with kubeadm reset, so running it again recovers.
        await install.InitClusterAsync(dev).WaitAsync(TimeSpan.FromMinutes(2));
        Assert.Equal(2, world.Registry.Find("dev")!.List("v1", "Node").Count);
    }
}
