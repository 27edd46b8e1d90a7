namespace LabNet.Simulator.Guest;

/// <summary>A systemd unit in the guest.</summary>
public sealed class GuestService(string name)
{
    public string Name { get; } = name;

    public bool Enabled { get; set; }

    public bool Running { get; set; }
}
