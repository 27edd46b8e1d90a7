namespace LabNet.Simulator.Clock;

/// <summary>
/// Every modeled duration of the twin in one place (section <c>Simulator:Durations</c>). They are modeled time: the
/// clock's speed factor decides how much wall time they take. Values are typical for an Apple-silicon Mac running
/// Ubuntu guests with kubeadm 1.31 and Cilium 1.16 (see the reference's timing profile).
/// </summary>
public sealed record ModeledDurations
{
    public const string Section = "Simulator:Durations";

    /// <summary><c>tart pull</c> of a ~2 GB compressed Ubuntu image.</summary>
    public TimeSpan ImagePull { get; init; } = TimeSpan.FromSeconds(90);

    /// <summary><c>tart clone</c>: an APFS copy-on-write clone.</summary>
    public TimeSpan CloneVm { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Power-on to a running sshd.</summary>
    public TimeSpan VmBoot { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>After the guest booted, its DHCP client gets a lease within this range.</summary>
    public TimeSpan DhcpMin { get; init; } = TimeSpan.FromSeconds(3);

    public TimeSpan DhcpMax { get; init; } = TimeSpan.FromSeconds(8);

    /// <summary>A guest's graceful shutdown after <c>tart stop</c>'s SIGINT.</summary>
    public TimeSpan Shutdown { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>TCP + key exchange + auth of one ssh session.</summary>
    public TimeSpan SshHandshake { get; init; } = TimeSpan.FromMilliseconds(300);

    public TimeSpan AptUpdate { get; init; } = TimeSpan.FromSeconds(12);

    /// <summary>apt-daily's refresh of the package lists right after a fresh image's first boot.</summary>
    public TimeSpan FirstBootAptDaily { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>unattended-upgrades installing a fresh image's pending updates after apt-daily.</summary>
    public TimeSpan FirstBootUnattendedUpgrades { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Download and unpack of one package with <c>apt-get install</c>.</summary>
    public TimeSpan AptInstallPerPackage { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A systemctl start/restart of a daemon.</summary>
    public TimeSpan ServiceRestart { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary><c>kubeadm init</c> from preflight to the success block, image pulls included.</summary>
    public TimeSpan KubeadmInit { get; init; } = TimeSpan.FromSeconds(85);

    public TimeSpan KubeadmJoin { get; init; } = TimeSpan.FromSeconds(25);

    public TimeSpan KubeadmReset { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>One <c>kubeadm init phase certs|kubeconfig</c> call.</summary>
    public TimeSpan KubeadmPhase { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How long kubeadm waits for an unhealthy kubelet before giving up (its own constant).</summary>
    public TimeSpan KubeletHealthTimeout { get; init; } = TimeSpan.FromMinutes(4);

    /// <summary>How long join discovery tries to reach an API server it cannot reach (kubeadm's discovery timeout).</summary>
    public TimeSpan JoinDiscoveryTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>Static pods coming back after the kubelet restarted on a control plane.</summary>
    public TimeSpan ControlPlaneRestart { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan HelmRepoUpdate { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Cilium agents and operator becoming ready on every node after <c>helm install cilium</c>.</summary>
    public TimeSpan CiliumRollout { get; init; } = TimeSpan.FromSeconds(75);

    /// <summary>An Istio chart's pods becoming ready.</summary>
    public TimeSpan IstioRollout { get; init; } = TimeSpan.FromSeconds(40);

    /// <summary>Applying a chart without waiting for readiness.</summary>
    public TimeSpan HelmApply { get; init; } = TimeSpan.FromSeconds(3);
}
