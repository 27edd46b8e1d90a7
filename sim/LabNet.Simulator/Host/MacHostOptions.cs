using System.ComponentModel.DataAnnotations;

namespace LabNet.Simulator.Host;

/// <summary>
/// The simulated Mac (section <c>Simulator:Host</c>). The default is a 16-core / 96 GB Mac, enough for the lab's 10 VMs
/// (21 vCPUs, 68 GB): Virtualization.framework lets vCPUs oversubscribe cores but a VM whose memory the host cannot back
/// fails to start.
/// </summary>
public sealed class MacHostOptions
{
    public const string Section = "Simulator:Host";

    [Range(1, 1024, ErrorMessage = "Simulator:Host:CpuCores must be between 1 and 1024.")]
    public int CpuCores { get; set; } = 16;

    [Range(1024, 16 * 1024 * 1024, ErrorMessage = "Simulator:Host:MemoryMb must be at least 1024.")]
    public int MemoryMb { get; set; } = 96 * 1024;

    /// <summary>What macOS itself keeps; VMs get the rest.</summary>
    [Range(0, 1024 * 1024, ErrorMessage = "Simulator:Host:ReservedMemoryMb must not be negative.")]
    public int ReservedMemoryMb { get; set; } = 8 * 1024;

    /// <summary>vmnet's shared NAT network (bootpd's default 192.168.64.0/24).</summary>
    [RegularExpression(@"^\d{1,3}\.\d{1,3}\.\d{1,3}$", ErrorMessage = "Simulator:Host:NatSubnet must be the first three octets, e.g. 192.168.64.")]
    public string NatSubnet { get; set; } = "192.168.64";

    /// <summary>The segment Softnet VMs get their leases on.</summary>
    [RegularExpression(@"^\d{1,3}\.\d{1,3}\.\d{1,3}$", ErrorMessage = "Simulator:Host:SoftnetSubnet must be the first three octets, e.g. 192.168.65.")]
    public string SoftnetSubnet { get; set; } = "192.168.65";

    /// <summary>bootpd's default lease (one day).</summary>
    [Range(1, int.MaxValue)]
    public int NatLeaseSeconds { get; set; } = 86_400;

    /// <summary>Softnet shortens leases to ten minutes.</summary>
    [Range(1, int.MaxValue)]
    public int SoftnetLeaseSeconds { get; set; } = 600;

    /// <summary>
    /// When a stopped VM's lease has expired, the chance that bootpd hands its address to it again on the next boot
    /// (otherwise it gets the next free address). Drawn from the seeded random source.
    /// </summary>
    [Range(0.0, 1.0)]
    public double ExpiredLeaseReuseProbability { get; set; } = 0.5;

    /// <summary>Whether the SUID <c>softnet</c> binary is installed; without it <c>--net-softnet*</c> fails.</summary>
    public bool SoftnetInstalled { get; set; } = true;

    /// <summary>
    /// The containerd version the guests' Ubuntu archive installs (noble's 1.7 by default). From 2.1 on,
    /// <c>containerd config default</c> leaves <c>SystemdCgroup</c> out of runc's options altogether.
    /// </summary>
    [RegularExpression(@"^\d+\.\d+\.\d+\S*$", ErrorMessage = "Simulator:Host:ContainerdVersion must be a Debian package version such as 1.7.28-0ubuntu1~24.04.1.")]
    public string ContainerdVersion { get; set; } = "1.7.28-0ubuntu1~24.04.1";

    /// <summary>The ssh password of the images' default user (cirruslabs images: admin/admin).</summary>
    public string GuestUser { get; set; } = "admin";

    public string GuestPassword { get; set; } = "admin";
}
