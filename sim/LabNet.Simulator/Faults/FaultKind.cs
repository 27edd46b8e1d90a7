namespace LabNet.Simulator.Faults;

/// <summary>What can go wrong on purpose, for tests and for the Provisioner's resilience.</summary>
public enum FaultKind
{
    /// <summary><c>ssh</c> to the VM is refused (its sshd is not answering), once per count.</summary>
    SshFails,

    /// <summary><c>kubeadm init</c> on the VM fails in wait-control-plane, once per count.</summary>
    KubeadmInitFails,

    /// <summary>The VM's next boots never get a DHCP lease (<c>tart ip</c> finds nothing).</summary>
    NoIpAddress,

    /// <summary>The VM's next boots get a different address than its lease had (DHCP drift).</summary>
    NewIpOnRestart,

    /// <summary>The cluster's API server drops the next requests' connections (the fault's VM is the cluster's name).</summary>
    ApiConnectionReset,

    /// <summary>The cluster's API server answers the next requests with 503 ServiceUnavailable.</summary>
    ApiUnavailable,

    /// <summary>The Mac's ssh-agent offers six keys to the VM's sshd before any password (per ssh connection, count times).</summary>
    SshAgentKeys,

    /// <summary>The VM's next boots run apt's first-boot jobs: apt-daily, then unattended-upgrades, holding apt's locks.</summary>
    AptLockAtBoot,

    /// <summary>Echo requests a VM pings with are lost on the way, one per count (a busy bridge drops a packet now and then).</summary>
    PingLoss,

    /// <summary><c>kubeadm reset</c> on the VM fails in its cleanup-node phase (a pod volume still mounted), count times.</summary>
    KubeadmResetFails,
}
