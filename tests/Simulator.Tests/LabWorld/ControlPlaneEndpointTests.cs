namespace LabNet.Simulator.Tests.LabWorld;

/// <summary>A stable control-plane name (kubeadm --control-plane-endpoint) resolved through each guest's /etc/hosts.</summary>
public sealed class ControlPlaneEndpointTests
{
    [Fact]
    public async Task Join_lines_name_the_endpoint_and_workers_resolve_it_through_etc_hosts()
    {
        await using var world = new LabWorldFactory();
        var spec = LabSpec.Load();
        var tools = world.Tools();
        var install = new OriginalLabInstall(tools, spec with { Clusters = [spec.Clusters.Single(c => c.Name == "dev")] });
        await install.CreateVmsAsync();
        await install.StartVmsAsync();
        await install.PrepareNodesAsync();
        await install.InstallRuntimeAsync();
        await install.InstallKubeadmAsync();
        var master = install.Addresses["dev-master"];
        var worker = install.Addresses["dev-worker1"];
        await tools.SshSudo(master, $"echo '{master} k8s-api.dev.lab' >> /etc/hosts");

        var init = await tools.SshSudo(master, $"kubeadm init --pod-network-cidr=10.20.0.0/16 --service-cidr=10.97.0.0/16 --skip-phases=addon/kube-proxy --apiserver-advertise-address={master} --control-plane-endpoint=k8s-api.dev.lab --node-name=dev-master");
        Assert.True(init.ExitCode == 0, init.ToString());
        Assert.Contains("kubeadm join k8s-api.dev.lab:6443 --token ", init.Stdout);
        Assert.Contains($"and IPs [10.97.0.1 {master}]", init.Stdout);
        Assert.Contains("DNS names [dev-master kubernetes kubernetes.default kubernetes.default.svc kubernetes.default.svc.cluster.local k8s-api.dev.lab]", init.Stdout);
        var join = (await tools.SshSudo(master, "kubeadm token create --print-join-command")).Stdout.Trim();
        Assert.StartsWith("kubeadm join k8s-api.dev.lab:6443 --token ", join);

        var unresolved = await tools.SshSudo(worker, join);
        Assert.Equal(1, unresolved.ExitCode);
        Assert.Contains("dial tcp: lookup k8s-api.dev.lab on 127.0.0.53:53: no such host", unresolved.Stderr);

        await tools.SshSudo(worker, $"echo '{master} k8s-api.dev.lab' >> /etc/hosts");
        var joined = await tools.SshSudo(worker, join + " --node-name=dev-worker1");
        Assert.True(joined.ExitCode == 0, joined.ToString());
        Assert.Equal(2, world.Registry.Find("dev")!.List("v1", "Node").Count);
    }
}
