using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Tests.LabWorld;

/// <summary>Acceptance line 4: a master that comes back with a new IP breaks its cluster until the boot script's repair.</summary>
public sealed class MasterIpChangeTests
{
    private static readonly TimeSpan Budget = TimeSpan.FromMinutes(3);

    private static async Task<ApiServerAvailability> WaitFor(IClusterApi api, Func<ApiServerAvailability, bool> condition)
    {
        // Up to 30 s of wall time: the control plane reacts on its own tasks, which a busy machine delays.
        for (var i = 0; i < 3000; i++)
        {
            if (condition(api.Availability))
            {
                return api.Availability;
            }

            await Task.Delay(10);
        }

        return api.Availability;
    }

    private static string Ready(IClusterApi api, string node) =>
        api.Get("v1", "Node", null, node)!["status"]!["conditions"]!.AsArray().Single(c => c!["type"]!.GetValue<string>() == "Ready")!["status"]!.GetValue<string>();

    [Fact]
    public async Task A_master_with_a_new_ip_stays_down_until_its_certificates_and_manifests_are_repaired()
    {
        await using var world = new LabWorldFactory();
        var spec = LabSpec.Load();
        var dev = spec.Clusters.Single(c => c.Name == "dev");
        var tools = world.Tools();
        var install = new OriginalLabInstall(tools, spec with { Clusters = [dev] });
        await install.AllAsync().WaitAsync(Budget);
        var api = world.Registry.Find("dev")!;
        var oldIp = install.Addresses["dev-master"];

        // The Mac restarts: the master stops, and DHCP hands it another address when it boots.
        Assert.Equal(0, (await tools.Tart("stop", "dev-master")).ExitCode);
        Assert.False(api.Availability.Serving);
        using var http = world.CreateClient();
        (await http.PostAsJsonAsync("/faults", new { kind = "new-ip-on-restart", vm = "dev-master" })).EnsureSuccessStatusCode();
        _ = tools.StartRun("dev-master", "--no-graphics", "--net-softnet-allow=0.0.0.0/0");
        var newIp = (await tools.Tart("ip", "dev-master", "--wait", "180", "--resolver", "agent")).Stdout.Trim();
        Assert.NotEqual(oldIp, newIp);

        var down = await WaitFor(api, a => a.Reason?.Contains("etcd") == true);
        Assert.False(down.Serving);
        Assert.Contains($"etcd is in CrashLoopBackOff: listen tcp {oldIp}:2380: bind: cannot assign requested address", down.Reason);
        var helm = await tools.Helm("list", "-n", "kube-system", "--kubeconfig", install.KubeconfigPath("dev"));
        Assert.Equal(1, helm.ExitCode);
        Assert.StartsWith("Error: Kubernetes cluster unreachable: ", helm.Stderr);

        // boot.sh step 2: is the new IP in the apiserver certificate?
        var check = await tools.SshSudo(newIp, $"openssl x509 -in /etc/kubernetes/pki/apiserver.crt -noout -text 2>/dev/null | grep -q 'IP Address:{newIp}' && echo yes || echo no");
        Assert.Equal("no\n", check.Stdout);

        // boot.sh step 3, as its caller's shell expands it.
        var repair = await tools.SshSudo(newIp, $$"""

              # Stop kubelet and move manifests out to prevent CrashLoop during update
              systemctl stop kubelet
              mkdir -p /tmp/k8s-manifests-backup
              mv /etc/kubernetes/manifests/*.yaml /tmp/k8s-manifests-backup/ 2>/dev/null || true
              sleep 3

              # Detect old IP from certificate
              OLD_IP=$(openssl x509 -in /etc/kubernetes/pki/apiserver.crt -noout -text 2>/dev/null \
                | grep -oP 'IP Address:\K[0-9.]+' | grep -v '10\.' | head -1)

              # Remove old certificates (keep CA)
              rm -f /etc/kubernetes/pki/apiserver.crt /etc/kubernetes/pki/apiserver.key
              rm -f /etc/kubernetes/pki/apiserver-etcd-client.crt /etc/kubernetes/pki/apiserver-etcd-client.key
              rm -f /etc/kubernetes/pki/apiserver-kubelet-client.crt /etc/kubernetes/pki/apiserver-kubelet-client.key
              rm -f /etc/kubernetes/pki/etcd/server.crt /etc/kubernetes/pki/etcd/server.key
              rm -f /etc/kubernetes/pki/etcd/peer.crt /etc/kubernetes/pki/etcd/peer.key
              rm -f /etc/kubernetes/pki/etcd/healthcheck-client.crt /etc/kubernetes/pki/etcd/healthcheck-client.key
              rm -f /etc/kubernetes/pki/front-proxy-client.crt /etc/kubernetes/pki/front-proxy-client.key

              # Regenerate certificates with new IP
              kubeadm init phase certs apiserver --apiserver-advertise-address={{newIp}} --apiserver-cert-extra-sans={{newIp}}
              kubeadm init phase certs apiserver-kubelet-client
              kubeadm init phase certs apiserver-etcd-client
              kubeadm init phase certs etcd-server
              kubeadm init phase certs etcd-peer
              kubeadm init phase certs etcd-healthcheck-client
              kubeadm init phase certs front-proxy-client

              # Regenerate kubeconfig files with new IP
              rm -f /etc/kubernetes/admin.conf /etc/kubernetes/kubelet.conf /etc/kubernetes/controller-manager.conf /etc/kubernetes/scheduler.conf
              kubeadm init phase kubeconfig admin --apiserver-advertise-address={{newIp}}
              kubeadm init phase kubeconfig kubelet --apiserver-advertise-address={{newIp}}
              kubeadm init phase kubeconfig controller-manager --apiserver-advertise-address={{newIp}}
              kubeadm init phase kubeconfig scheduler --apiserver-advertise-address={{newIp}}

              # Update user kubeconfig
              cp /etc/kubernetes/admin.conf /home/admin/.kube/config
              chown admin:admin /home/admin/.kube/config

              # Update IP in manifests and restore them
              for f in /tmp/k8s-manifests-backup/*.yaml; do
                [ -f "$f" ] || continue
                if [ -n "$OLD_IP" ]; then
                  sed -i "s|$OLD_IP|{{newIp}}|g" "$f"
                fi
              done
              mv /tmp/k8s-manifests-backup/*.yaml /etc/kubernetes/manifests/
              rmdir /tmp/k8s-manifests-backup 2>/dev/null || true

            """);
        Assert.True(repair.ExitCode == 0, repair.ToString());
        Assert.Contains($"[certs] apiserver serving cert is signed for DNS names [dev-master kubernetes kubernetes.default kubernetes.default.svc kubernetes.default.svc.cluster.local] and IPs [10.96.0.1 {newIp}]", repair.Stdout);
        Assert.False(api.Availability.Serving);

        foreach (var node in dev.Nodes)
        {
            var ip = node.Role == "master" ? newIp : install.Addresses[node.Name];
            Assert.Equal(0, (await tools.SshSudo(ip, "systemctl restart kubelet")).ExitCode);
        }

        Assert.True((await WaitFor(api, a => a.Serving)).Serving);
        Assert.Equal("yes\n", (await tools.SshSudo(newIp, $"openssl x509 -in /etc/kubernetes/pki/apiserver.crt -noout -text 2>/dev/null | grep -q 'IP Address:{newIp}' && echo yes || echo no")).Stdout);
        var master = api.Get("v1", "Node", null, "dev-master")!;
        Assert.Equal(newIp, master["status"]!["addresses"]!.AsArray().Single(a => a!["type"]!.GetValue<string>() == "InternalIP")!["address"]!.GetValue<string>());

        // Cilium's agents restarted with the node and still dial the old address in cilium-config: no pod network.
        Assert.Equal("False", Ready(api, "dev-master"));
        var agent = api.List("v1", "Pod", "kube-system").First(p => p["metadata"]!["labels"]?["k8s-app"]?.GetValue<string>() == "cilium");
        Assert.Contains($"dial tcp {oldIp}:6443: connect: no route to host", agent["status"]!["containerStatuses"]![0]!["lastState"]!["terminated"]!["message"]!.GetValue<string>());
        var upgrade = await tools.Helm("upgrade", "cilium", "cilium/cilium", "--kubeconfig", install.KubeconfigPath("dev"), "-n", "kube-system", "--reuse-values", "--set", $"k8sServiceHost={newIp}", "--wait", "--timeout", "10m");
        Assert.True(upgrade.ExitCode == 0, upgrade.ToString());
        Assert.StartsWith("Release \"cilium\" has been upgraded. Happy Helming!\nNAME: cilium\n", upgrade.Stdout);
        Assert.Contains("REVISION: 3\n", upgrade.Stdout);
        Assert.Equal(newIp, api.Get("v1", "ConfigMap", "kube-system", "cilium-config")!["data"]!["k8s-service-host"]!.GetValue<string>());
        Assert.Equal("True", Ready(api, "dev-master"));

        // The boot script never fixes the workers' kubelet.conf, so the worker stays unreachable until that is done too.
        Assert.Equal("Unknown", Ready(api, "dev-worker1"));
        var workerIp = install.Addresses["dev-worker1"];
        await tools.SshSudo(workerIp, $"sed -i 's|https://{oldIp}:6443|https://{newIp}:6443|' /etc/kubernetes/kubelet.conf && systemctl restart kubelet");
        Assert.Equal("True", Ready(api, "dev-worker1"));
    }
}
