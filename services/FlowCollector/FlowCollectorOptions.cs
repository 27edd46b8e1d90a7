using System.ComponentModel.DataAnnotations;

namespace LabNet.FlowCollector;

/// <summary>The <c>FlowCollector</c> configuration section.</summary>
public sealed class FlowCollectorOptions
{
    public const string SectionName = "FlowCollector";

    /// <summary>
    /// Cap on distinct metric contexts (cluster x namespaces x workloads x version). Past it, flows of new contexts are
    /// counted under the <c>other</c> context, so exported series stay bounded.
    /// </summary>
    [Range(1, 1_000_000)]
    public int MaxMetricContexts { get; set; } = Metrics.FlowAggregator.DefaultMaxContexts;

    /// <summary>
    /// hubble-relay address per cluster, e.g. <c>FlowCollector:Relays:dev=http://127.0.0.1:4245</c> (plaintext h2c, as
    /// after <c>cilium hubble port-forward</c>; the simulator serves one loopback port per cluster).
    /// </summary>
    public Dictionary<string, string> Relays { get; set; } = new(StringComparer.Ordinal);

    /// <summary>First reconnect delay after a relay stream breaks; doubles per failed attempt up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan InitialReconnectDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How far before the last flow seen a resumed stream starts. hubble-relay merges its agents' streams through a
    /// sort buffer (1 s drain), so flows slightly older than the last one delivered may still have been on their way.
    /// </summary>
    public TimeSpan ResumeOverlap { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How many recent flows per relay are remembered to drop the ones a resumed stream repeats; must cover
    /// <see cref="ResumeOverlap"/> at the peak flow rate (262144 = 1 s at 250k flows/s, about 16 MB).
    /// </summary>
    [Range(16, 10_000_000)]
    public int SeamWindowFlows { get; set; } = 262_144;

    /// <summary>How many recent relay flows the flow query API keeps (bounded memory, about 1-2 KB each).</summary>
    [Range(1, 10_000_000)]
    public int FlowBufferCapacity { get; set; } = Query.FlowRingBuffer.DefaultCapacity;

    public const string DefaultProbeHeader = "x-canary";

    /// <summary>
    /// The request header a VirtualService routes test requests by (the seed's <c>x-canary</c>). The traffic summary
    /// counts requests carrying it apart, so a canary's weighted split can be checked without them.
    /// </summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9!#$%&'*+.^_`|~-]+$", ErrorMessage = "FlowCollector:ProbeHeader must be an HTTP header name (letters, digits, '-'), e.g. x-canary.")]
    public string ProbeHeader { get; set; } = DefaultProbeHeader;

    /// <summary>One HTTP response flow in this many becomes a span (0: none).</summary>
    [Range(0, int.MaxValue)]
    public int HttpSpanSampleOneIn { get; set; } = 100;
}
