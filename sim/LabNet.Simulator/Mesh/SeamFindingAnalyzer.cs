using LabNet.Simulator.Cilium.Engine;
using LabNet.Simulator.Cilium.Identity;
using LabNet.Simulator.Cilium.Policy;
using LabNet.Simulator.Traffic;

namespace LabNet.Simulator.Mesh;

/// <summary>
/// Finds the hops where Istio mTLS and a Cilium L7 rule meet, from configuration alone: for every Service port whose pods
/// have sidecars, every client pod with a sidecar that Cilium lets through on that port with its L7 proxy in the path,
/// and that the client sidecar would encrypt (DestinationRule tls, else auto mTLS against the server's PeerAuthentication).
/// </summary>
public static class SeamFindingAnalyzer
{
    public static IReadOnlyList<SeamFinding> Analyze(string cluster, IstioConfigSnapshot istio, CiliumPolicyEngine policy, TrafficTopology topology)
    {
        if (!istio.Installed)
        {
            return [];
        }

        var clients = topology.Pods.Where(p => p.HasSidecar).ToArray();
        var found = new Dictionary<string, (SeamFinding Finding, SortedSet<string> Clients)>(StringComparer.Ordinal);
        foreach (var service in topology.Services)
        {
            var servers = topology.Backends(service).Where(p => p.HasSidecar).ToArray();
            foreach (var servicePort in service.Ports)
            {
                foreach (var server in servers)
                {
                    if (service.TargetPortOn(servicePort, server) is not { } port)
                    {
                        continue;
                    }

                    var (mode, decidedBy) = istio.MtlsFor(server.Namespace, server.Labels, port);
                    if (mode == MtlsMode.Disable)
                    {
                        continue;
                    }

                    var serverIdentity = policy.IdentityOf(ToEndpoint(server));
                    foreach (var client in clients)
                    {
                        if (ReferenceEquals(client, server))
                        {
                            continue;
                        }

                        var rule = istio.DestinationRuleFor(service.Fqdn, client.Namespace);
                        var tls = ClientTlsFor(rule, server, servicePort);
                        if (tls == ClientTlsMode.Disable)
                        {
                            continue;
                        }

                        var verdict = policy.Decide(policy.IdentityOf(ToEndpoint(client)), serverIdentity, IpProtocol.Tcp, port);
                        if (!verdict.L7ProxyInPath)
                        {
                            continue;
                        }

                        var policies = new List<string>();
                        var names = new List<string>();
                        if (verdict.Egress.Proxy is { } egress)
                        {
                            policies.AddRange(egress.Policies.Select(p => $"{Name(p)} (egress of {client.Namespace}/{WorkloadOf(client)})"));
                            names.AddRange(egress.Policies.Select(Name));
                        }

                        if (verdict.Ingress?.Proxy is { } ingress)
                        {
                            policies.AddRange(ingress.Policies.Select(p => $"{Name(p)} (ingress of {service.Namespace}/{service.Name}'s pods)"));
                            names.AddRange(ingress.Policies.Select(Name));
                        }

                        var id = $"{cluster}/{service.Namespace}/{service.Name}:{servicePort}/{string.Join(",", names.Distinct().Order(StringComparer.Ordinal))}";
                        if (!found.TryGetValue(id, out var entry))
                        {
                            entry = (Build(id, cluster, service, servicePort, port, policies, names, decidedBy, mode, rule, tls), new SortedSet<string>(StringComparer.Ordinal));
                            found[id] = entry;
                        }

                        entry.Clients.Add($"{client.Namespace}/{WorkloadOf(client)}");
                    }
                }
            }
        }

        return found.Values.Select(v => v.Finding with { Clients = [.. v.Clients] }).OrderBy(f => f.Id, StringComparer.Ordinal).ToArray();
    }

    private static ClientTlsMode? ClientTlsFor(DestinationRuleConfig? rule, TrafficPod server, int servicePort)
    {
        if (rule is null)
        {
            return null;
        }

        // The route may pick any subset the server belongs to (or none): the hop is encrypted if any of them encrypts.
        ClientTlsMode? result = rule.TlsFor(null, servicePort);
        foreach (var subset in rule.Subsets)
        {
            if (subset.Selects(server.Labels) && rule.TlsFor(subset.Name, servicePort) is { } mode && mode != ClientTlsMode.Disable)
            {
                return mode;
            }
        }

        return result;
    }

    private static string WorkloadOf(TrafficPod pod) => pod.Workload ?? pod.Label("app") ?? pod.Name;

    private static SeamFinding Build(string id, string cluster, TrafficService service, int servicePort, int port, List<string> policies, List<string> names, PeerAuthenticationConfig? decidedBy, MtlsMode mode, DestinationRuleConfig? rule, ClientTlsMode? tls)
    {
        var pa = decidedBy?.Reference;
        var dr = rule is null ? null : $"{rule.Namespace}/{rule.Name}";
        var clientTls = tls is null ? "auto" : tls.Value switch
        {
            ClientTlsMode.IstioMutual => "ISTIO_MUTUAL",
            ClientTlsMode.Mutual => "MUTUAL",
            _ => "SIMPLE",
        };
        var message =
            $"Cilium's L7 proxy cannot read HTTP inside Istio mTLS on {service.Namespace}/{service.Name} port {servicePort} (container port {port}): " +
            $"{string.Join(" and ", policies)} put the proxy on the port, while PeerAuthentication {pa ?? "(none: mesh default PERMISSIVE)"} ({mode.ToString().ToUpperInvariant()}) " +
            $"and {(dr is null ? "no DestinationRule (auto mTLS)" : clientTls == "auto" ? $"DestinationRule {dr} (no tls mode: auto mTLS)" : $"DestinationRule {dr} (tls {clientTls})")} make the sidecars encrypt it. " +
            "Cilium's proxy answers the TLS ClientHello as bad HTTP, so every request on this hop fails with 503 at the client sidecar and Hubble shows no HTTP fields for it.";
        var paFix = decidedBy is { Selector: { Count: > 0 } }
            ? $"set portLevelMtls {port}: DISABLE on PeerAuthentication {pa}"
            : $"add a PeerAuthentication in {service.Namespace} selecting the {service.Name} pods with portLevelMtls {port}: DISABLE (portLevelMtls needs a workload selector)";
        var drFix = dr is null
            ? $"a DestinationRule for host {service.Name} with tls.mode DISABLE for port {servicePort}"
            : $"tls.mode DISABLE for port {servicePort} in DestinationRule {dr}";
        var fix = $"{paFix} and {drFix}, or drop the L7 rule from {string.Join(" and ", names.Distinct())} (losing Hubble's HTTP fields and the method filter on this hop).";
        return new SeamFinding(id, cluster, $"{service.Namespace}/{service.Name}", servicePort, port, policies, pa, mode.ToString().ToUpperInvariant(), dr, clientTls, [], message, fix);
    }

    private static string Name(PolicyReference p) => p.Namespace.Length == 0 ? $"{p.Kind} {p.Name}" : $"{p.Kind} {p.Namespace}/{p.Name}";

    private static PodEndpoint ToEndpoint(TrafficPod pod) => new(pod.Namespace, pod.Name, pod.Labels, pod.Ip, pod.ServiceAccount, null, pod.NodeName);
}
