using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace LabNet.Provisioner;

/// <summary>The <c>Lab</c> configuration section: where the spec is, where kubeconfigs go, and what the host can give.</summary>
public sealed class LabOptions
{
    public const string Section = "Lab";

    /// <summary>The lab spec, <c>config/clusters.json</c> by default (the AppHost passes its absolute path).</summary>
    [Required]
    public string SpecPath { get; set; } = "config/clusters.json";

    /// <summary>Where <c>&lt;cluster&gt;.yaml</c> kubeconfigs are written (mode 0600).</summary>
    [Required]
    public string KubeconfigDirectory { get; set; } = "kubeconfig";

    /// <summary>What the lab applies: cilium/hubble values, network policies, Istio, the demo, CRDs.</summary>
    [Required]
    public string ManifestsDirectory { get; set; } = "manifests";

    /// <summary>The pkgs.k8s.io channel the nodes install kubelet, kubeadm and kubectl from (the original lab's v1.31).</summary>
    [Required]
    [RegularExpression(@"^v1\.\d+$")]
    public string KubernetesMinorVersion { get; set; } = "v1.31";

    /// <summary>The VMs' ssh password (the AppHost's secret parameter ssh-password); clusters.json's ssh_password otherwise.</summary>
    public string? SshPassword { get; set; }

    /// <summary>
    /// What each cluster runs once its nodes are Ready, in order: <c>helm:istio</c> installs Istio,
    /// <c>helm:metrics-server</c> metrics-server, any other entry is a folder of manifests/. By default dev gets
    /// metrics-server, the demo (with its HPAs), its policies, Istio and the canary, and staging metrics-server, as in
    /// the original lab.
    /// </summary>
    public Dictionary<string, string[]> Workloads { get; set; } = new(StringComparer.Ordinal)
    {
        ["dev"] = ["crds", "helm:istio", "helm:metrics-server", "demo", "network-policies", "istio", "canary"],
        ["staging"] = ["helm:metrics-server"],
    };

    [Required]
    [ValidateObjectMembers]
    public HostOptions Host { get; set; } = new();

    public sealed class HostOptions
    {
        /// <summary>Cores of the Mac; no VM may ask for more.</summary>
        [Range(1, 1024)]
        public int CpuCount { get; set; } = 16;

        /// <summary>
        /// How many vCPUs of provisioning VMs may run per core. A vCPU is a ceiling, not a load: booting, apt and
        /// kubeadm spend most of their time on the network and the disk, so 1.5 (the low end of the usual
        /// hypervisor ratios) lets the original lab's 21 vCPUs provision together on 16 cores; 1 admits only what
        /// could saturate every core.
        /// </summary>
        [Range(1.0, 4.0)]
        public double CpuOversubscription { get; set; } = 1.5;

        /// <summary>vCPUs that may be provisioning at once: the cores times <see cref="CpuOversubscription"/>.</summary>
        public int ProvisioningVcpus => (int)Math.Floor(CpuCount * CpuOversubscription);

        /// <summary>Memory the VMs may use together, in MB (the M4 Max of the seed has 128 GB).</summary>
        [Range(1024, 16 * 1024 * 1024)]
        public int MemoryMb { get; set; } = 128 * 1024;

        /// <summary>Where vmnet hands out VM addresses (shared NAT 192.168.64.x, softnet 192.168.65.x and neighbours).</summary>
        [Required]
        public string VmNetworkCidr { get; set; } = "192.168.64.0/20";
    }
}

/// <summary>Validates <see cref="LabOptions"/> at start-up, nested host options included (generated, no reflection).</summary>
[OptionsValidator]
public sealed partial class LabOptionsValidator : IValidateOptions<LabOptions>;
