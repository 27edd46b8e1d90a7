using System.ComponentModel.DataAnnotations;

namespace LabNet.Simulator.Hubble;

/// <summary>The simulated Hubble of every cluster (section <c>Simulator:Hubble</c>).</summary>
public sealed class HubbleOptions
{
    public const string Section = "Simulator:Hubble";

    /// <summary>
    /// The first cluster's relay listens here (hubble-relay's 4245), the next cluster's on the next port, in the lab
    /// spec's order. 0 (the default, so that test hosts never collide) = any free loopback port; the launch profile,
    /// which the AppHost uses, sets 4245 so that <c>hubble observe</c> finds the first cluster's relay at its default address.
    /// </summary>
    [Range(0, 65535)]
    public int FirstRelayPort { get; set; }

    /// <summary>Each node's ring buffer (Hubble's default <c>hubble-event-buffer-capacity</c> is 4095).</summary>
    [Range(1, 1 << 20)]
    public int RingCapacityPerNode { get; set; } = 4095;

    /// <summary>The lab spec (clusters.json) naming the clusters and their nodes; default: <c>config/clusters.json</c> above the content root.</summary>
    public string? LabSpecPath { get; set; }
}
