namespace LabNet.Provisioner.Provisioning.Steps;

/// <summary>The guest preparation of the original lab (phases 2 to 4 of its install.sh), as root scripts.</summary>
public static class NodeScripts
{
    /// <summary>
    /// Swap off now and after every boot: fstab's swap lines are commented out whatever separates their fields (the
    /// Ubuntu images use tabs), or the kubelet refuses to start after the next restart.
    /// </summary>
    public static string Prepare(string hostname) => $"""
        swapoff -a
        sed -i -E '/^[^#]\S*\s+\S+\s+swap\s/ s/^/#/' /etc/fstab
        cat <<'EOF' | tee /etc/modules-load.d/k8s.conf
        overlay
        br_netfilter
        EOF
        modprobe overlay
        modprobe br_netfilter
        cat <<'EOF' | tee /etc/sysctl.d/k8s.conf
        net.bridge.bridge-nf-call-iptables  = 1
        net.bridge.bridge-nf-call-ip6tables = 1
        net.ipv4.ip_forward                 = 1
        EOF
        sysctl --system
        hostnamectl set-hostname {hostname}
        """;

    /// <summary>
    /// How long apt waits for dpkg's lock, which unattended-upgrades holds for minutes after a fresh image's first boot
    /// (its timers are persistent and have never run); without it apt-get exits 100 at once.
    /// </summary>
    private const string DpkgLockWait = "-o DPkg::Lock::Timeout=600";

    /// <summary>
    /// <c>apt-get update</c>, tried again while apt-daily holds the package lists' lock after a first boot: apt takes
    /// that lock without waiting, whatever DPkg::Lock::Timeout says. Ten minutes at most.
    /// </summary>
    private static readonly string AptUpdate = $$"""
        updated=no
        for attempt in {{string.Join(' ', Enumerable.Range(1, 40))}}; do
          if apt-get update -qq; then updated=yes; break; fi
          sleep 15
        done
        [ "$updated" = yes ] || { echo "apt-get update: the package lists stayed locked for 10 minutes (apt-daily after the first boot)" >&2; exit 100; }
        """;

    /// <summary>
    /// runc under the systemd cgroup driver, as the kubelet's config (kubeadm's default) expects. containerd up to 2.0
    /// prints <c>SystemdCgroup = false</c> in its default config; from 2.1 on the key is not there at all, and it is
    /// added to runc's options. Checked at the end: a config this cannot fix stops the script.
    /// </summary>
    private const string SystemdCgroup = """
        if grep -q 'SystemdCgroup' /etc/containerd/config.toml; then
          sed -i 's/SystemdCgroup = false/SystemdCgroup = true/' /etc/containerd/config.toml
        else
          sed -i -E "s/^( *)(\[plugins\.'io\.containerd\.cri\.v1\.runtime'\.containerd\.runtimes\.runc\.options\])$/\1\2\n\1  SystemdCgroup = true/" /etc/containerd/config.toml
        fi
        grep -q 'SystemdCgroup = true' /etc/containerd/config.toml
        """;

    public static readonly string ContainerRuntime = $"""
        export DEBIAN_FRONTEND=noninteractive
        {AptUpdate}
        apt-get install -y -qq {DpkgLockWait} containerd apt-transport-https ca-certificates curl gnupg conntrack
        mkdir -p /etc/containerd
        containerd config default | tee /etc/containerd/config.toml > /dev/null
        {SystemdCgroup}
        systemctl restart containerd
        systemctl enable containerd
        """;

    public static string KubernetesPackages(string minorVersion) => $"""
        export DEBIAN_FRONTEND=noninteractive
        mkdir -p /etc/apt/keyrings
        curl -fsSL https://pkgs.k8s.io/core:/stable:/{minorVersion}/deb/Release.key | gpg --batch --yes --dearmor -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg
        echo 'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/{minorVersion}/deb/ /' | tee /etc/apt/sources.list.d/kubernetes.list
        {AptUpdate}
        apt-get install -y -qq {DpkgLockWait} kubelet kubeadm kubectl
        apt-mark hold {DpkgLockWait} kubelet kubeadm kubectl
        systemctl enable --now kubelet
        """;
}
