namespace LabNet.Simulator.Tests.LabWorld;

public sealed class GuestKubectlTests
{
    [Fact]
    public async Task Kubectl_on_the_master_lists_the_nodes_of_its_cluster()
    {
        await using var world = new LabWorldFactory();
        var spec = LabSpec.Load();
        var tools = world.Tools();
        var install = new OriginalLabInstall(tools, spec with { Clusters = [spec.Clusters.Single(c => c.Name == "dev")] });
        await install.UpToJoinAsync().WaitAsync(TimeSpan.FromMinutes(2));
        var master = install.Addresses["dev-master"];

        var asUser = await tools.Ssh(master, "kubectl get nodes");
        var asRoot = await tools.Ssh(master, "sudo kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes --no-headers | grep -c NotReady");
        var denied = await tools.Ssh(master, "kubectl --kubeconfig /etc/kubernetes/admin.conf get nodes");

        Assert.Equal(0, asUser.ExitCode);
        var lines = asUser.Stdout.TrimEnd('\n').Split('\n');
        Assert.Matches("^NAME +STATUS +ROLES +AGE +VERSION$", lines[0]);
        Assert.Matches("^dev-master +NotReady +control-plane +\\S+ +v1.31.14$", lines[1]);
        Assert.Matches("^dev-worker1 +NotReady +<none> +\\S+ +v1.31.14$", lines[2]);
        Assert.Equal(new ToolResult("2\n", "", 0), asRoot);
        Assert.Equal(1, denied.ExitCode);
        Assert.Contains("permission denied", denied.Stderr);
    }
}
