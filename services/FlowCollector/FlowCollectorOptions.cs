using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

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
    /// Where the Provisioner writes <c>&lt;cluster&gt;.yaml</c> kubeconfigs. Each cluster that appears there is followed
    /// through its Kubernetes API's port-forward to <see cref="RelayService"/>, in simulation as on a real lab; a
    /// cluster whose kubeconfig goes away (the lab was destroyed) is no longer followed.
    /// </summary>
    public string? KubeconfigDirectory { get; set; }

    /// <summary>How often the kubeconfig directory is looked at for clusters that appeared or went away.</summary>
    public TimeSpan KubeconfigScanInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The Service in each cluster that fronts hubble-relay (Cilium's chart: kube-system/hubble-relay, port 80).</summary>
    [Required]
    [ValidateObjectMembers]
    public RelayServiceOptions RelayService { get; set; } = new();

    /// <summary>
    /// Optional fixed hubble-relay address per cluster, e.g. <c>FlowCollector:Relays:dev=http://127.0.0.1:4245</c>
    /// (plaintext h2c, as after <c>cilium hubble port-forward</c>). It wins over the cluster's kubeconfig.
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

/// <summary>The hubble-relay Service the collector port-forwards to, as <c>kubectl port-forward svc/NAME PORT</c> would.</summary>
public sealed class RelayServiceOptions
{
    [Required]
    [RegularExpression("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    public string Namespace { get; set; } = "kube-system";

    [Required]
    [RegularExpression("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")]
    public string Name { get; set; } = "hubble-relay";

    /// <summary>The Service's port; its targetPort (a number or a container port's name) is the pod port forwarded to.</summary>
    [Range(1, 65535)]
    public int Port { get; set; } = 80;
}
