using System.Collections.Concurrent;

namespace LabNet.Simulator.Mesh;

/// <summary>
/// One cluster's Istio configuration as every sidecar has it after an xDS push: immutable, compiled once per change.
/// <see cref="Installed"/> is false while istiod does not run: sidecars then get no config, and nothing here applies.
/// Thread-safe (the per-host lookups are memoized).
/// </summary>
public sealed class IstioConfigSnapshot
{
    public const string DefaultRootNamespace = "istio-system";

    private readonly ConcurrentDictionary<string, VirtualServiceConfig?> _virtualServices = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<(string PodKey, int Port), (MtlsMode, PeerAuthenticationConfig?)> _mtls = new();

    public IstioConfigSnapshot(
        long version,
        bool installed,
        string rootNamespace,
        IReadOnlyList<VirtualServiceConfig> virtualServices,
        IReadOnlyList<DestinationRuleConfig> destinationRules,
        IReadOnlyList<PeerAuthenticationConfig> peerAuthentications,
        IReadOnlyList<string> gateways,
        IReadOnlyList<string> errors)
    {
        Version = version;
        Installed = installed;
        RootNamespace = rootNamespace;
        VirtualServices = virtualServices;
        DestinationRules = destinationRules;
        PeerAuthentications = peerAuthentications;
        Gateways = gateways;
        Errors = errors;
    }

    public static IstioConfigSnapshot Empty { get; } = new(0, false, DefaultRootNamespace, [], [], [], [], []);

    public long Version { get; }

    public bool Installed { get; }

    public string RootNamespace { get; }

    /// <summary>In creation order (Istio's tie-break when two VirtualServices name the same host).</summary>
    public IReadOnlyList<VirtualServiceConfig> VirtualServices { get; }

    public IReadOnlyList<DestinationRuleConfig> DestinationRules { get; }

    public IReadOnlyList<PeerAuthenticationConfig> PeerAuthentications { get; }

    /// <summary>Gateway objects as <c>namespace/name</c>.</summary>
    public IReadOnlyList<string> Gateways { get; }

    /// <summary>What istiod could not use, each naming the object and field.</summary>
    public IReadOnlyList<string> Errors { get; }

    /// <summary>The VirtualService a sidecar uses for a fully qualified host (gateway <c>mesh</c>), null for none.</summary>
    public VirtualServiceConfig? VirtualServiceFor(string fqdn) =>
        _virtualServices.GetOrAdd(fqdn, static (host, all) => all.FirstOrDefault(v => v.AppliesToSidecars && v.MatchesHost(host)), VirtualServices);

    /// <summary>
    /// The DestinationRule a client in <paramref name="clientNamespace"/> uses for a host: its own namespace's first,
    /// then the host's namespace, then the root namespace (Istio's lookup order).
    /// </summary>
    public DestinationRuleConfig? DestinationRuleFor(string fqdn, string clientNamespace)
    {
        DestinationRuleConfig? service = null;
        DestinationRuleConfig? root = null;
        var hostNamespace = NamespaceOf(fqdn);
        foreach (var rule in DestinationRules)
        {
            if (!string.Equals(rule.Host, fqdn, StringComparison.OrdinalIgnoreCase)
                && !(rule.Host.StartsWith("*.", StringComparison.Ordinal) && fqdn.EndsWith(rule.Host[1..], StringComparison.OrdinalIgnoreCase))
                && rule.Host != "*")
            {
                continue;
            }

            if (rule.Namespace == clientNamespace)
            {
                return rule;
            }

            if (rule.Namespace == hostNamespace)
            {
                service ??= rule;
            }
            else if (rule.Namespace == RootNamespace)
            {
                root ??= rule;
            }
        }

        return service ?? root;
    }

    /// <summary>
    /// The server sidecar's mTLS mode for a workload's container port, and the PeerAuthentication that decided it:
    /// the workload's policy (port level, then its mode), then the namespace's, then the mesh's; PERMISSIVE when none says.
    /// </summary>
    /// <remarks>Memoized per pod version (<paramref name="podKey"/> changes whenever the pod's labels may have).</remarks>
    public (MtlsMode Mode, PeerAuthenticationConfig? DecidedBy) MtlsFor(string podKey, string @namespace, IReadOnlyDictionary<string, string> labels, int port) =>
        _mtls.GetOrAdd((podKey, port), static (key, state) => state.Self.MtlsFor(state.Namespace, state.Labels, key.Port), (Self: this, Namespace: @namespace, Labels: labels));

    public (MtlsMode Mode, PeerAuthenticationConfig? DecidedBy) MtlsFor(string @namespace, IReadOnlyDictionary<string, string> labels, int port)
    {
        PeerAuthenticationConfig? workload = null;
        PeerAuthenticationConfig? namespaceWide = null;
        PeerAuthenticationConfig? mesh = null;
        foreach (var policy in PeerAuthentications)
        {
            if (policy.Selector is { Count: > 0 } selector)
            {
                if (policy.Namespace == @namespace && workload is null && selector.All(s => labels.TryGetValue(s.Key, out var v) && v == s.Value))
                {
                    workload = policy;
                }
            }
            else if (policy.Namespace == @namespace)
            {
                namespaceWide ??= policy;
            }
            else if (policy.Namespace == RootNamespace)
            {
                mesh ??= policy;
            }
        }

        if (workload is not null)
        {
            if (workload.PortLevelMtls.TryGetValue(port, out var portMode) && portMode != MtlsMode.Unset)
            {
                return (portMode, workload);
            }

            if (workload.Mode != MtlsMode.Unset)
            {
                return (workload.Mode, workload);
            }
        }

        if (namespaceWide is { Mode: not MtlsMode.Unset })
        {
            return (namespaceWide.Mode, namespaceWide);
        }

        if (mesh is { Mode: not MtlsMode.Unset })
        {
            return (mesh.Mode, mesh);
        }

        return (MtlsMode.Permissive, null);
    }

    /// <summary><c>httpbin.demo.svc.cluster.local</c> -> <c>demo</c>.</summary>
    public static string? NamespaceOf(string fqdn)
    {
        var parts = fqdn.Split('.');
        return parts.Length >= 3 && parts[2] == "svc" ? parts[1] : null;
    }
}
