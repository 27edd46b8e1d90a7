using LabNet.Simulator.Guest;

namespace LabNet.Simulator.Host;

/// <summary>A local Tart VM: its config.json (CPU, memory, disk, MAC), its state, and the guest inside it.</summary>
public sealed class TartVm(string name, RemoteImage image, string mac, DateTimeOffset created)
{
    public string Name { get; } = name;

    public RemoteImage Image { get; } = image;

    public string Mac { get; set; } = mac;

    public int CpuCount { get; set; } = image.CpuCount;

    public int MemoryMb { get; set; } = image.MemoryMb;

    public int DiskGb { get; set; } = image.DiskGb;

    public string Display { get; set; } = "1024x768";

    public double AllocatedGb { get; set; } = image.AllocatedGb;

    public DateTimeOffset Accessed { get; set; } = created;

    public VmState State { get; set; } = VmState.Stopped;

    public NetworkAttachment Attachment { get; set; } = NetworkAttachment.Nat;

    /// <summary>The address the guest has now (null until its DHCP client got a lease, and while stopped).</summary>
    public string? Address { get; set; }

    /// <summary>The guest finished booting: sshd answers.</summary>
    public bool SshReady { get; set; }

    /// <summary>Where, on the timeline of modeled tool time, the last boot got its lease and sshd answered.</summary>
    public DateTimeOffset BootedAt { get; set; }

    public VmRun? Run { get; set; }

    public GuestOs Guest { get; } = new("ubuntu");
}
