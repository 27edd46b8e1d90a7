using System.ComponentModel.DataAnnotations;

namespace LabNet.Simulator.Clock;

/// <summary>How fast modeled time passes: 1 is real time, 600 makes a 10-minute kubeadm run take a second.</summary>
public sealed class ClockOptions
{
    public const string Section = "Simulator:Clock";

    [Range(0.001, 1e9, ErrorMessage = "Simulator:Clock:SpeedFactor must be between 0.001 and 1e9 (1 = real time).")]
    public double SpeedFactor { get; set; } = 1;
}
