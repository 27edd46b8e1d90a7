using System.Net;
using LabNet.Hubble.FlowApi;
using LabNet.Simulator.Cilium.Policy;
using LabNet.Simulator.Clock;
using LabNet.Simulator.Hubble;
using LabNet.Simulator.Kubernetes;
using LabNet.Simulator.Workloads;
using Microsoft.Extensions.Options;

namespace LabNet.Simulator.Mesh;

/// <summary>
/// curl inside a pod: resolves the URL's host through kube-dns (or takes a ClusterIP or pod IP literal), then carries
/// the request through the cluster's data plane (<see cref="ClusterDataPlane"/>), which records its flows in the
/// cluster's Hubble. The lookup itself crosses the datapath to a CoreDNS pod when the cluster has a ready one
/// (<see cref="KubeDnsLookup"/>): the pod's egress policy can drop it (the resolver times out) or Cilium's DNS proxy
/// refuse it (the name does not resolve). Thread-safe.
/// </summary>
public sealed class PodHttpClient(
    IClusterApiRegistry registry,
    IClusterDns dns,
    MeshDataPlane mesh,
    TimeProvider time,
    IOptions<SimulatorOptions> simulator) : IPodHttpClient
{
    private readonly Lock _gate = new();
    private readonly Random _random = new(HubbleClusters.SeedFor(simulator.Value.Seed, "curl"));

    /// <exception cref="ArgumentException">The cluster or the client pod does not exist (nothing to exec into).</exception>
    public PodHttpResult Send(PodHttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var api = registry.Find(request.Cluster) ?? throw new ArgumentException($"Cluster '{request.Cluster}' does not exist.", nameof(request));
        var topology = ClusterApiTopologySource.Read(api);
        var client = topology.Pods.FirstOrDefault(p => p.Namespace == request.Namespace && p.Name == request.Pod)
            ?? throw new ArgumentException($"pods \"{request.Pod}\" not found in namespace \"{request.Namespace}\" (or not running).", nameof(request));

        var url = request.Url.Contains("://", StringComparison.Ordinal) ? request.Url : "http://" + request.Url;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            // curl: (3) URL rejected / (1) Protocol not supported; the nearest outcome the contract has is "cannot resolve".
            return new PodHttpResult(PodHttpOutcome.CouldNotResolveHost, 0, "", [], "", TimeSpan.Zero, null, null);
        }

        var host = uri.IdnHost;
        var plane = mesh.For(api);
        var lookupFlows = new List<Flow>();
        IPAddress address;
        if (!IPAddress.TryParse(host, out address!))
        {
            var answer = dns.Resolve(request.Cluster, request.Namespace, host);
            DnsLookupOutcome lookup;
            lock (_gate)
            {
                lookup = plane.Lookup(client, answer, topology, time.GetUtcNow(), _random, lookupFlows);
            }

            if (Unresolved(lookup, answer, request.MaxTime, lookupFlows) is { } unresolved)
            {
                plane.Publish(lookupFlows);
                return unresolved;
            }

            address = answer.Addresses[0];
        }

        var port = uri.Port;
        var service = topology.Services.FirstOrDefault(s => address.Equals(s.ClusterIp));
        IReadOnlyList<TrafficPod> backends;
        if (service is not null)
        {
            if (!service.Ports.Contains(port))
            {
                // Cilium's service map has no entry for this port: the datapath answers with a reset.
                return new PodHttpResult(PodHttpOutcome.ConnectionRefused, 0, "", [], "", TimeSpan.FromMilliseconds(0.5), address.ToString(), null);
            }

            backends = topology.Backends(service);
        }
        else if (topology.Pods.FirstOrDefault(p => p.Ip.Equals(address)) is { } pod)
        {
            backends = [pod];
        }
        else
        {
            // Nothing owns the address: packets go nowhere until curl or the kernel gives up.
            var waited = request.MaxTime is { } max && max < EnvoyReplies.KernelConnectTimeout ? max : EnvoyReplies.KernelConnectTimeout;
            return new PodHttpResult(PodHttpOutcome.TimedOut, 0, "", [], "", waited, address.ToString(), null);
        }

        var authority = uri.IsDefaultPort ? host : $"{host}:{port}";
        var headerMap = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in request.Headers)
        {
            headerMap[name.ToLowerInvariant()] = value;
        }

        var info = new HttpRequestInfo(request.Method.ToUpperInvariant(), uri.PathAndQuery, authority, headerMap);
        MeshResponse response;
        lock (_gate)
        {
            response = plane.Send(
                new MeshRequest(client, service, backends, port, info, time.GetUtcNow())
                {
                    ExtraHeaders = request.Headers,
                    Body = request.Body,
                    WantBody = true,
                    MaxTime = request.MaxTime,
                },
                topology,
                _random);
        }

        // The lookup came first: it ended as the request began.
        MeshFlows.Shift(lookupFlows, 0, lookupFlows.Count, -response.Elapsed);
        plane.Publish(lookupFlows);
        return new PodHttpResult(
            response.Outcome,
            response.Status,
            response.Reason,
            response.Headers,
            response.Body,
            response.Elapsed,
            address.ToString(),
            response.ServedBy?.Name);
    }

    /// <summary>
    /// How curl fails when the name does not resolve: the policy dropped the query (the resolver waits for nothing, or
    /// curl's --max-time ends it first), Cilium's DNS proxy refused it, or kube-dns has no such name. Null when it resolved.
    /// </summary>
    private static PodHttpResult? Unresolved(DnsLookupOutcome lookup, DnsAnswer answer, TimeSpan? maxTime, List<Flow> lookupFlows)
    {
        if (lookup == DnsLookupOutcome.Dropped)
        {
            var waited = maxTime is { } max && max < KubeDnsLookup.ResolverTimeout ? max : KubeDnsLookup.ResolverTimeout;
            MeshFlows.Shift(lookupFlows, 0, lookupFlows.Count, -waited);
            return new PodHttpResult(waited < KubeDnsLookup.ResolverTimeout ? PodHttpOutcome.TimedOut : PodHttpOutcome.CouldNotResolveHost, 0, "", [], "", waited, null, null);
        }

        return lookup == DnsLookupOutcome.Refused || !answer.Found
            ? new PodHttpResult(PodHttpOutcome.CouldNotResolveHost, 0, "", [], "", TimeSpan.FromMilliseconds(2), null, null)
            : null;
    }
}
