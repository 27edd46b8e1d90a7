using System.ComponentModel.DataAnnotations;

namespace LabNet.Simulator.Traffic.Background;

/// <summary>The background traffic every Cilium cluster carries (section <c>Simulator:Traffic:Background</c>).</summary>
public sealed class BackgroundTrafficOptions
{
    public const string Section = "Simulator:Traffic:Background";

    public bool Enabled { get; set; } = true;

    /// <summary>
    /// How often the clusters' background traffic of the time since the last step is simulated. A flow reaches Hubble at
    /// most this late, which must stay well within what a relay client re-reads when it resumes (the FlowCollector: 1 s).
    /// </summary>
    [Range(10, 60_000)]
    public int TickMilliseconds { get; set; } = 200;

    /// <summary>The mean time between two DNS lookups of one pod (the gaps are exponential: lookups come when programs need them).</summary>
    [Range(1, 3600)]
    public double DnsLookupSeconds { get; set; } = 30;

    /// <summary>cilium-health's probe interval (its <c>--interval</c>, 60 s by default): each node probes every node's health endpoint.</summary>
    [Range(1, 3600)]
    public double HealthProbeSeconds { get; set; } = 60;
}
