using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using LabNet.Hubble.FlowApi;
using LabNet.Simulator.Cilium.Engine;
using LabNet.Simulator.Cilium.Identity;
using LabNet.Simulator.Hubble.Flows;
using LabNet.Simulator.Hubble.Relay;
using LabNet.Simulator.Workloads;

namespace LabNet.Simulator.Mesh;

/// <summary>
/// One cluster's data plane, built once per cluster (<see cref="MeshDataPlane.For"/>): the path every simulated HTTP
/// request of the cluster takes, for curl in a pod and for the traffic generator alike. The client's sidecar
/// (VirtualService route, DestinationRule subset, outlier detection, retries) or Cilium's socket load balancing picks
/// the upstream host; <c>Connect</c> (ClusterDataPlane.Connection.cs) makes the attempt. The flows of each request go
/// to the cluster's Hubble. Thread-safe; the outlier state is shared by all callers, as one sidecar serves every
/// process of its pod.
/// </summary>
public sealed partial class ClusterDataPlane(
    string cluster,
    Func<IstioConfigSnapshot> istio,
    CiliumPolicyEngine policy,
    HubbleClusterFlows hubble,
    IApplicationBehaviours behaviours,
    ClientSidecars sidecars)
{
    private readonly Func<IstioConfigSnapshot> _istio = istio;
    private readonly CiliumPolicyEngine _policy = policy;
    private readonly HubbleClusterFlows _hubble = hubble;
    private readonly IApplicationBehaviours _behaviours = behaviours;
    private readonly ClientSidecars _sidecars = sidecars;
    private readonly ConcurrentDictionary<string, FlowEndpoint> _endpoints = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(int Port, string? Subset, string Host), string> _envoyClusters = new();
    private readonly ConditionalWeakTable<IReadOnlyList<TrafficPod>, ConcurrentDictionary<SubsetConfig, TrafficPod[]>> _subsets = new();
    private readonly ConditionalWeakTable<TrafficService, ServiceName> _serviceNames = new();
    private readonly ThreadLocal<List<TrafficPod>> _healthy = new(() => new List<TrafficPod>(8));
    private readonly ThreadLocal<List<Flow>> _flows = new(() => new List<Flow>(32));

    public string Cluster { get; } = cluster;

    /// <summary>The cluster's Istio configuration in force now.</summary>
    public IstioConfigSnapshot Istio => _istio();

    /// <summary>Envoy's name of an outbound cluster: <c>outbound|80|v1|httpbin.demo.svc.cluster.local</c>.</summary>
    public string EnvoyClusterName(int port, string? subset, string host) =>
        _envoyClusters.GetOrAdd((port, subset, host), static k => $"outbound|{k.Port.ToString(CultureInfo.InvariantCulture)}|{k.Subset}|{k.Host}");

    /// <summary>
    /// Carries one request and records the Hubble flows it produced in the cluster's Hubble.
    /// </summary>
    /// <param name="topology">The cluster's pods and Services as the caller read them (the generator reads them once a step).</param>
    /// <param name="random">The caller's own seeded source, so each caller's sequence of choices is reproducible.</param>
    public MeshResponse Send(in MeshRequest request, TrafficTopology topology, Random random)
    {
        var flows = _flows.Value!;
        flows.Clear();
        var response = Route(new MeshExchange(request, _istio(), topology, random, flows));
        _hubble.Publish(flows);
        return response;
    }

    private MeshResponse Route(in MeshExchange call)
    {
        var client = call.Client;
        var sidecar = call.Istio.Installed && client.HasSidecar;
        var service = call.Service;
        var port = call.Port;
        TrafficPod backend;
        OutlierDetector? detector = null;
        string? subset = null;
        DestinationRuleConfig? rule = null;
        TimeSpan? routeTimeout = null;
        var extraDelay = TimeSpan.Zero;
        var hostCount = 0;
        HttpRouteConfig? route = null;
        IReadOnlyList<TrafficPod> hosts = [];
        if (service is not null)
        {
            if (sidecar)
            {
                var vs = call.Istio.VirtualServiceFor(service.Fqdn);
                var host = service.Fqdn;
                if (vs is not null)
                {
                    foreach (var candidate in vs.Http)
                    {
                        if (candidate.Matches(call.Request, port, client.Labels))
                        {
                            route = candidate;
                            break;
                        }
                    }

                    if (route is null)
                    {
                        // No route matched: Envoy's route table has no entry (NR).
                        return MeshAnswers.Capped(call, MeshAnswers.Local(call, 404, "Not Found", "", TimeSpan.FromMilliseconds(0.2)));
                    }

                    var destination = PickWeighted(route, call.Random);
                    if (destination is null)
                    {
                        return MeshAnswers.Capped(call, MeshAnswers.Local(call, 503, "Service Unavailable", EnvoyReplies.NoHealthyUpstream, TimeSpan.FromMilliseconds(0.2)));
                    }

                    routeTimeout = route.Timeout is { } t && t > TimeSpan.Zero ? t : null;
                    if (route.Fault is { } fault)
                    {
                        if (fault.DelayPercent > 0 && call.Random.NextDouble() * 100 < fault.DelayPercent)
                        {
                            extraDelay = fault.Delay;
                        }

                        if (fault.AbortPercent > 0 && call.Random.NextDouble() * 100 < fault.AbortPercent)
                        {
                            return MeshAnswers.Capped(call, MeshAnswers.Local(call, fault.AbortStatus, HttpStatusText.For(fault.AbortStatus), EnvoyReplies.FaultAbort, extraDelay));
                        }
                    }

                    host = destination.Host;
                    subset = destination.Subset;
                    port = destination.Port ?? port;
                    if (!string.Equals(host, service.Fqdn, StringComparison.OrdinalIgnoreCase))
                    {
                        service = FindService(call.Topology, host);
                        if (service is null)
                        {
                            return MeshAnswers.Capped(call, MeshAnswers.Local(call, 503, "Service Unavailable", EnvoyReplies.NoHealthyUpstream, TimeSpan.FromMilliseconds(0.2)));
                        }
                    }
                }

                rule = call.Istio.DestinationRuleFor(service.Fqdn, client.Namespace);
                var backends = ReferenceEquals(service, call.Service) ? call.Backends : call.Topology.Backends(service);
                hosts = backends;
                if (subset is not null)
                {
                    // A subset the DestinationRule does not define has no cluster in Envoy: nothing to send to.
                    hosts = rule?.Subset(subset) is { } definition ? SubsetHosts(backends, definition) : [];
                }

                var healthy = _healthy.Value!;
                if (rule?.OutlierDetectionFor(subset) is { } outlier && hosts.Count > 0)
                {
                    detector = _sidecars.Detector(Cluster, client.Namespace, client.Name, EnvoyClusterName(port, subset, service.Fqdn), outlier, call.At);
                    detector.Healthy(hosts, static p => p.Name, call.At, healthy);
                }
                else
                {
                    healthy.Clear();
                    healthy.AddRange(hosts);
                }

                if (healthy.Count == 0)
                {
                    // Panic threshold 0 (Istio's default): no host is healthy, the sidecar answers by itself.
                    return MeshAnswers.Capped(call, MeshAnswers.Local(call, 503, "Service Unavailable", EnvoyReplies.NoHealthyUpstream, TimeSpan.FromMilliseconds(0.2) + extraDelay));
                }

                backend = healthy[healthy.Count == 1 ? 0 : call.Random.Next(healthy.Count)];
                hostCount = hosts.Count;
            }
            else
            {
                if (call.Backends.Count == 0)
                {
                    return MeshAnswers.Failed(call, PodHttpOutcome.ConnectionRefused, TimeSpan.FromMilliseconds(0.3));
                }

                // Cilium's socket-level load balancing: a random backend of the Service.
                backend = call.Backends[call.Backends.Count == 1 ? 0 : call.Random.Next(call.Backends.Count)];
            }
        }
        else
        {
            backend = call.Backends[0];
        }

        var targetPort = service?.TargetPortOn(port, backend) ?? port;
        var firstFlow = call.Flows.Count;
        var first = Connect(call, sidecar, backend, service, port, targetPort, subset, rule, detector, hostCount, routeTimeout, extraDelay, 1);
        var retry = sidecar && service is not null ? route?.Retries ?? RetryPolicyConfig.IstioDefault : null;
        return retry is not null && retry.Retries(first)
            ? Retry(call, retry, first, backend, firstFlow, sidecar, service!, port, subset, rule, detector, hosts, routeTimeout)
            : MeshAnswers.Capped(call, first);
    }

    /// <summary>
    /// Envoy's router retrying: each retry after a jittered back-off, to a healthy host not tried yet when one exists;
    /// every attempt is a real request (flows, outlier accounting). The flows of earlier attempts are moved back in time
    /// so the attempts follow each other and the last ends at <see cref="MeshRequest.At"/>.
    /// </summary>
    private MeshResponse Retry(in MeshExchange call, RetryPolicyConfig retry, MeshResponse first, TrafficPod firstHost, int firstFlow, bool sidecar, TrafficService service, int port, string? subset, DestinationRuleConfig? rule, OutlierDetector? detector, IReadOnlyList<TrafficPod> hosts, TimeSpan? routeTimeout)
    {
        var tried = new List<TrafficPod>(retry.Attempts + 1) { firstHost };
        var ends = new List<(int FlowStart, TimeSpan End)>(retry.Attempts + 1) { (firstFlow, first.Elapsed) };
        var total = first.Elapsed;
        var response = first;
        var healthy = _healthy.Value!;
        for (var attempt = 2; attempt <= retry.Attempts + 1; attempt++)
        {
            total += TimeSpan.FromMilliseconds(call.Random.NextDouble() * 25 * ((1 << Math.Min(attempt - 1, 10)) - 1));
            if (detector is not null)
            {
                detector.Healthy(hosts, static p => p.Name, call.At, healthy);
            }
            else
            {
                healthy.Clear();
                healthy.AddRange(hosts);
            }

            if (healthy.Count == 0)
            {
                response = MeshAnswers.Local(call, 503, "Service Unavailable", EnvoyReplies.NoHealthyUpstream, TimeSpan.Zero);
                break;
            }

            var host = healthy[call.Random.Next(healthy.Count)];
            for (var pick = 1; pick < 5 && tried.Contains(host); pick++)
            {
                host = healthy[call.Random.Next(healthy.Count)];
            }

            tried.Add(host);
            var start = call.Flows.Count;
            response = Connect(call, sidecar, host, service, port, service.TargetPortOn(port, host) ?? port, subset, rule, detector, hosts.Count, routeTimeout, TimeSpan.Zero, attempt);
            total += response.Elapsed;
            ends.Add((start, total));
            if (!retry.Retries(response))
            {
                break;
            }
        }

        for (var i = 0; i < ends.Count; i++)
        {
            var end = i + 1 < ends.Count ? ends[i + 1].FlowStart : call.Flows.Count;
            MeshFlows.Shift(call.Flows, ends[i].FlowStart, end, ends[i].End - total);
        }

        return MeshAnswers.Capped(call, response with { Elapsed = total });
    }

    private FlowEndpoint Endpoint(TrafficPod pod)
    {
        var key = pod.Key;
        if (_endpoints.TryGetValue(key, out var endpoint))
        {
            return endpoint;
        }

        return _endpoints.GetOrAdd(key, PodFlowEndpoint.Of(pod, _policy));
    }

    private TrafficPod[] SubsetHosts(IReadOnlyList<TrafficPod> backends, SubsetConfig subset) =>
        _subsets.GetValue(backends, static _ => new ConcurrentDictionary<SubsetConfig, TrafficPod[]>())
            .GetOrAdd(subset, static (s, all) => all.Where(p => s.Selects(p.Labels)).ToArray(), backends);

    private static TrafficService? FindService(TrafficTopology topology, string fqdn)
    {
        foreach (var service in topology.Services)
        {
            if (string.Equals(service.Fqdn, fqdn, StringComparison.OrdinalIgnoreCase))
            {
                return service;
            }
        }

        return null;
    }

    private static RouteDestinationConfig? PickWeighted(HttpRouteConfig route, Random random)
    {
        if (route.Route.Count == 1)
        {
            return route.Route[0].Weight > 0 ? route.Route[0] : null;
        }

        if (route.TotalWeight <= 0)
        {
            return null;
        }

        var pick = random.Next(route.TotalWeight);
        foreach (var destination in route.Route)
        {
            if (pick < destination.Weight)
            {
                return destination;
            }

            pick -= destination.Weight;
        }

        return null;
    }
}
