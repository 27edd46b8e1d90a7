namespace LabNet.Simulator.Tests.Kubernetes;

[Collection(SimulatorServerCollection.Name)]
public sealed class KubectlGetTests(SimulatorServer server)
{
    [Fact]
    public async Task Get_nodes_wide_shows_status_roles_version_and_addresses()
    {
        var cluster = server.CreateCluster();

        var result = await cluster.Kubectl.RunAsync("get", "nodes", "-o", "wide", "-v=8");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.TrimEnd().Split('\n');
        Assert.Matches(@"^NAME\s+STATUS\s+ROLES\s+AGE\s+VERSION\s+INTERNAL-IP\s+EXTERNAL-IP\s+OS-IMAGE\s+KERNEL-VERSION\s+CONTAINER-RUNTIME$", lines[0]);
        Assert.Matches(@"^c\d+-master\s+Ready\s+control-plane\s+\d+s\s+v1\.31\.14\s+192\.168\.65\.10\s+<none>\s+Ubuntu 24\.04\.1 LTS\s+6\.8\.0-49-generic\s+containerd://1\.7\.24$", lines[1]);
        Assert.Matches(@"^c\d+-worker1\s+Ready\s+<none>\s+", lines[2]);
    }
}
