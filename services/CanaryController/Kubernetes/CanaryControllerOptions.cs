namespace LabNet.CanaryController.Kubernetes;

/// <summary>The <c>CanaryController</c> configuration section, validated at start.</summary>
public sealed class CanaryControllerOptions
{
    public const string SectionName = "CanaryController";

    /// <summary>
    /// The kubeconfig of the cluster the Canaries live in (e.g. the <c>kubeconfig/dev.yaml</c> the Provisioner writes;
    /// relative paths are taken from the content root). It may appear after the controller starts: the controller waits.
    /// </summary>
    public string Kubeconfig { get; set; } = "";

    /// <summary>The kubeconfig context; its current-context when empty.</summary>
    public string? Context { get; set; }

    /// <summary>Watch Canaries in this namespace only; all namespaces when empty.</summary>
    public string? Namespace { get; set; }

    /// <summary>The FlowCollector's base address (Aspire service discovery name by default).</summary>
    public Uri FlowCollector { get; set; } = new("http+https://flowcollector");

    /// <summary>A traffic summary slower than this counts as "metrics unavailable" for the tick.</summary>
    public TimeSpan FlowCollectorTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often to look for a kubeconfig that does not exist yet.</summary>
    public TimeSpan KubeconfigPollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Pause before re-listing after a watch or list failed (API server down, network).</summary>
    public TimeSpan WatchRetryDelay { get; set; } = TimeSpan.FromSeconds(2);
}
