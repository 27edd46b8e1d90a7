using System.ComponentModel.DataAnnotations;

namespace LabNet.Simulator.Hubble;

/// <summary>The simulated Hubble of every cluster (section <c>Simulator:Hubble</c>).</summary>
public sealed class HubbleOptions : IValidatableObject
{
    public const string Section = "Simulator:Hubble";

    /// <summary>
    /// The loopback port each cluster's relay listens on, by cluster name (e.g. <c>Simulator:Hubble:RelayPorts:dev</c> =
    /// 14246): where the FlowCollector and <c>hubble observe --server</c> are told to find it. A cluster not named here
    /// gets a free port (the default, so that test hosts never collide). A relay keeps its port for the simulator's life.
    /// </summary>
    public Dictionary<string, int> RelayPorts { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Each node's ring buffer (Hubble's default <c>hubble-event-buffer-capacity</c> is 4095).</summary>
    [Range(1, 1 << 20)]
    public int RingCapacityPerNode { get; set; } = 4095;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (cluster, port) in RelayPorts.Where(p => p.Value is < 1 or > 65535))
        {
            yield return new ValidationResult(
                $"{Section}:RelayPorts:{cluster} is {port}, which is not a port; use 1-65535 (or leave the cluster out for a free port).",
                [nameof(RelayPorts)]);
        }

        foreach (var shared in RelayPorts.GroupBy(p => p.Value).Where(g => g.Count() > 1))
        {
            yield return new ValidationResult(
                $"{Section}:RelayPorts gives port {shared.Key} to {string.Join(" and ", shared.Select(p => p.Key))}; each cluster's relay needs a port of its own.",
                [nameof(RelayPorts)]);
        }
    }
}
