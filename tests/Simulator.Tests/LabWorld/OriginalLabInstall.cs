namespace LabNet.Simulator.Tests.LabWorld;

/// <summary>
/// The original lab's install.sh, phase by phase, as the tool calls it makes (scripts/lib/k8s.sh of iamywl/IaC_apple_sillicon:
/// the same commands and heredoc scripts, after the caller's shell expanded its variables).
/// </summary>
public sealed class OriginalLabInstall(ToolClient tools, LabSpec spec)
{
    public bool Softnet { get; init; } = true;

    public string KubeconfigDirectory { get; init; } = Directory.CreateTempSubdirectory("labnet-kubeconfig-").FullName;

    /// <summary>The long-lived <c>tart run</c> calls, one per VM.</summary>
    public Dictionary<string, Task<ToolResult>> Runs { get; } = [];

    public Dictionary<string, string> Addresses { get; } = [];

    /// <summary>Every tool call's result in order, for failure messages.</summary>
    public List<(string Step, ToolResult Result)> Log { get; } = [];

    private async Task<ToolResult> Step(string step, Task<ToolResult> call, bool mustSucceed = true)
    {
        var result = await call;
        Log.Add((step, result));
        if (mustSucceed && result.ExitCode != 0)
        {
            throw new InstallFailed(step, result);
        }

        return result;
    }

    public async Task CreateVmsAsync()
    {
        foreach (var cluster in spec.Clusters)
        {
            foreach (var node in cluster.Nodes)
            {
                var list = await Step("tart list", tools.Tart("list"));
                if (!list.Stdout.Contains(spec.BaseImage, StringComparison.Ordinal))
                {
                    await Step("tart pull", tools.Tart("pull", spec.BaseImage));
                }

                if (!list.Stdout.Split('\n').Any(l => l.StartsWith("local", StringComparison.Ordinal) && l.Contains(node.Name, StringComparison.Ordinal)))
                {
                    await Step($"tart clone {node.Name}", tools.Tart("clone", spec.BaseImage, node.Name));
                }

                await Step($"tart set {node.Name}", tools.Tart("set", node.Name, "--cpu", node.Cpu.ToString(), "--memory", node.MemoryMb.ToString()));
            }
        }
    }

    public async Task StartVmsAsync()
    {
        foreach (var node in spec.Clusters.SelectMany(c => c.Nodes))
        {
            Runs[node.Name] = Softnet
                ? tools.StartRun(node.Name, "--no-graphics", "--net-softnet-allow=0.0.0.0/0")
                : tools.StartRun(node.Name, "--no-graphics");
            // ssh_wait_ready: "echo ok" until it answers. The address is looked up again each time, because right after
            // a (re)start tart ip's dhcp resolver may still print an old lease of the VM's MAC.
            for (var attempt = 1; ; attempt++)
            {
                var ip = await Step($"tart ip {node.Name}", tools.Tart("ip", node.Name, "--wait", "180"));
                Addresses[node.Name] = ip.Stdout.Trim();
                var ok = await Step($"ssh {node.Name} echo ok", tools.Ssh(Addresses[node.Name], "echo ok"), mustSucceed: attempt == 40);
                if (ok.ExitCode == 0)
                {
                    break;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(20));
            }
        }
    }

    public async Task PrepareNodesAsync()
    {
        foreach (var node in spec.Clusters.SelectMany(c => c.Nodes))
        {
            await Step($"prepare {node.Name}", tools.SshSudo(Addresses[node.Name], $"""

                    swapoff -a && sed -i '/swap/d' /etc/fstab

                    cat > /etc/modules-load.d/k8s.conf <<MODEOF
                overlay
                br_netfilter
                MODEOF
                    modprobe overlay
                    modprobe br_netfilter

                    cat > /etc/sysctl.d/k8s.conf <<SYSEOF
                net.bridge.bridge-nf-call-iptables  = 1
                net.bridge.bridge-nf-call-ip6tables = 1
                net.ipv4.ip_forward                 = 1
                SYSEOF
                    sysctl --system

                    hostnamectl set-hostname '{node.Name}'

                """));
        }
    }

    public async Task InstallRuntimeAsync()
    {
        foreach (var node in spec.Clusters.SelectMany(c => c.Nodes))
        {
            await Step($"containerd {node.Name}", tools.SshSudo(Addresses[node.Name], """

                    export DEBIAN_FRONTEND=noninteractive
                    apt-get update -qq
                    apt-get install -y -qq containerd apt-transport-https ca-certificates curl gnupg conntrack

                    mkdir -p /etc/containerd
                    containerd config default > /etc/containerd/config.toml
                    sed -i 's/SystemdCgroup = false/SystemdCgroup = true/' /etc/containerd/config.toml

                    systemctl restart containerd
                    systemctl enable containerd

                """));
        }
    }

    public async Task InstallKubeadmAsync()
    {
        foreach (var node in spec.Clusters.SelectMany(c => c.Nodes))
        {
            await Step($"kubeadm packages {node.Name}", tools.SshSudo(Addresses[node.Name], """

                    curl -fsSL https://pkgs.k8s.io/core:/stable:/v1.31/deb/Release.key | gpg --dearmor -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg 2>/dev/null
                    echo 'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.31/deb/ /' > /etc/apt/sources.list.d/kubernetes.list

                    apt-get update -qq
                    apt-get install -y -qq kubelet kubeadm kubectl
                    apt-mark hold kubelet kubeadm kubectl

                    systemctl enable kubelet

                """));
        }
    }

    public async Task InitClustersAsync()
    {
        foreach (var cluster in spec.Clusters)
        {
            await InitClusterAsync(cluster);
        }
    }

    public async Task InitClusterAsync(ClusterSpec cluster)
    {
        var master = cluster.Master.Name;
        var masterIp = Addresses[master];
        await Step($"reset {master}", tools.SshSudo(masterIp, """

                kubeadm reset -f 2>/dev/null || true
                rm -rf /etc/kubernetes /var/lib/kubelet /var/lib/etcd /etc/cni/net.d
                iptables -F 2>/dev/null || true
                iptables -X 2>/dev/null || true
                iptables -t nat -F 2>/dev/null || true
                systemctl restart containerd

            """));
        foreach (var worker in cluster.Workers)
        {
            await Step($"reset {worker.Name}", tools.SshSudo(Addresses[worker.Name], """

                    kubeadm reset -f 2>/dev/null || true
                    rm -rf /etc/kubernetes /var/lib/kubelet /etc/cni/net.d
                    iptables -F 2>/dev/null || true
                    systemctl restart containerd

                """));
        }

        await Step($"kubeadm init {master}", tools.SshSudo(masterIp, $"""

                kubeadm init \
                  --pod-network-cidr='{cluster.PodCidr}' \
                  --service-cidr='{cluster.ServiceCidr}' \
                  --skip-phases=addon/kube-proxy \
                  --apiserver-advertise-address='{masterIp}' \
                  --node-name='{master}'

            """));
        await Step($"kubeconfig {master}", tools.Ssh(masterIp, "mkdir -p $HOME/.kube && sudo cp /etc/kubernetes/admin.conf $HOME/.kube/config && sudo chown $(id -u):$(id -g) $HOME/.kube/config"));
        // The original scp's ~/.kube/config; a shim-only provisioner reads it over ssh.
        var kubeconfig = await Step($"read kubeconfig {master}", tools.Ssh(masterIp, "cat .kube/config"));
        File.WriteAllText(KubeconfigPath(cluster.Name), kubeconfig.Stdout);
        var join = await Step($"token create {master}", tools.SshSudo(masterIp, "kubeadm token create --print-join-command"));
        foreach (var worker in cluster.Workers)
        {
            await Step($"kubeadm join {worker.Name}", tools.SshSudo(Addresses[worker.Name], $"{join.Stdout.Trim()} --node-name='{worker.Name}'"));
        }
    }

    /// <summary>The original's manifests/cilium-values.yaml and hubble-values.yaml.</summary>
    public string CiliumValuesPath => WriteOnce("cilium-values.yaml", """
        kubeProxyReplacement: true
        ipam:
          mode: cluster-pool
        operator:
          replicas: 1
        """);

    public string HubbleValuesPath => WriteOnce("hubble-values.yaml", """
        hubble:
          enabled: true
          relay:
            enabled: true
          ui:
            enabled: true
            service:
              type: NodePort
              nodePort: 31235
          metrics:
            enabled:
              - dns
              - drop
              - tcp
              - flow
              - icmp
              - http
        """);

    private string WriteOnce(string name, string content)
    {
        var path = Path.Combine(KubeconfigDirectory, name);
        if (!File.Exists(path))
        {
            File.WriteAllText(path, content);
        }

        return path;
    }

    /// <summary>Phase 6: Cilium with the original's flags, then Hubble by reusing its values.</summary>
    public async Task InstallCiliumAsync(ClusterSpec cluster, bool withServiceHost = true)
    {
        await Step("helm repo add cilium", tools.Helm("repo", "add", "cilium", "https://helm.cilium.io/"), mustSucceed: false);
        await Step("helm repo update", tools.Helm("repo", "update"));
        var masterIp = Addresses[cluster.Master.Name];
        List<string> args =
        [
            "upgrade", "--install", "cilium", "cilium/cilium",
            "--kubeconfig", KubeconfigPath(cluster.Name),
            "--namespace", "kube-system",
            "--values", CiliumValuesPath,
            "--set", $"ipam.operator.clusterPoolIPv4PodCIDRList={{{cluster.PodCidr}}}",
            "--set", $"cluster.name={cluster.Name}",
        ];
        if (withServiceHost)
        {
            args.AddRange(["--set", $"k8sServiceHost={masterIp}", "--set", "k8sServicePort=6443"]);
        }

        args.AddRange(["--wait", "--timeout", "10m"]);
        await Step($"helm cilium {cluster.Name}", tools.Helm([.. args]));
        await Step($"helm hubble {cluster.Name}", tools.Helm(
            "upgrade", "cilium", "cilium/cilium", "--kubeconfig", KubeconfigPath(cluster.Name), "--namespace", "kube-system",
            "--reuse-values", "--values", HubbleValuesPath, "--wait", "--timeout", "10m"));
    }

    public async Task InstallCniAsync()
    {
        foreach (var cluster in spec.Clusters)
        {
            await InstallCiliumAsync(cluster);
        }
    }

    public string KubeconfigPath(string cluster) => Path.Combine(KubeconfigDirectory, cluster + ".yaml");

    public async Task UpToJoinAsync()
    {
        await CreateVmsAsync();
        await StartVmsAsync();
        await PrepareNodesAsync();
        await InstallRuntimeAsync();
        await InstallKubeadmAsync();
        await InitClustersAsync();
    }

    public async Task AllAsync()
    {
        await UpToJoinAsync();
        await InstallCniAsync();
    }
}

public sealed class InstallFailed(string step, ToolResult result) : Exception($"Step '{step}' failed: {result}")
{
    public string Step { get; } = step;

    public ToolResult Result { get; } = result;
}
