using System.ComponentModel.DataAnnotations;

namespace LabNet.Simulator.Traffic;

/// <summary>The traffic generator (section <c>Simulator:Traffic</c>); its rates are in <see cref="Settings"/> and change at run time.</summary>
public sealed class TrafficOptions
{
    public const string Section = "Simulator:Traffic";

    public bool Enabled { get; set; } = true;

    /// <summary>The clusters that run the demo (the original lab deploys it on dev only).</summary>
    [MinLength(1)]
    public string[] Clusters { get; set; } = ["dev"];

    /// <summary>How often the generator simulates the traffic of the time since its last step.</summary>
    [Range(10, 10_000)]
    public int TickMilliseconds { get; set; } = 100;

    /// <summary>The settings at start (<c>GET/PUT /traffic</c> read and replace them).</summary>
    public TrafficSettings Settings { get; set; } = new();
}
