namespace LabNet.Simulator.Clock;

/// <summary>Settings of the whole twin that are not one area's: the seed of every random choice it makes.</summary>
public sealed class SimulatorOptions
{
    public const string Section = "Simulator";

    /// <summary>One seed for MACs, DHCP delays, tokens and every jitter, so that a run can be replayed.</summary>
    public int Seed { get; set; } = 20261126;
}
