using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using LabNet.Hubble.FlowApi;
using LabNet.Simulator.Cilium.Engine;
using LabNet.Simulator.Cilium.Identity;
using LabNet.Simulator.Cilium.Policy;
using LabNet.Simulator.Hubble.Flows;
using LabNet.Simulator.Traffic;

namespace LabNet.Simulator.Mesh;

/// <summary>
/// The one path every simulated HTTP request takes, for curl in a pod and for the traffic generator alike: the client's
/// sidecar (VirtualService route, DestinationRule subset, outlier detection, TLS origination) or Cilium's socket load
/// balancing, Cilium's policy and L7 proxy, the server's sidecar (PeerAuthentication), the application. Records the
/// Hubble flows of the connection it makes. Thread-safe; the outlier state is shared by all callers, as one sidecar
/// serves every process of its pod.
/// </summary>
public sealed class MeshDataPlane(ClientSidecars sidecars)
{
    private readonly ConcurrentDictionary<(string Cluster, string PodKey), FlowEndpoint> _endpoints = new();
    private readonly ConcurrentDictionary<(int Port, string? Subset, string Host), string> _envoyClusters = new();
    private readonly ConditionalWeakTable<IReadOnlyList<TrafficPod>, ConcurrentDictionary<SubsetConfig, TrafficPod[]>> _subsets = new();
    private readonly ConditionalWeakTable<TrafficService, ServiceName> _serviceNames = new();
    private readonly ThreadLocal<List<TrafficPod>> _healthy = new(() => new List<TrafficPod>(8));

    public ClientSidecars Sidecars { get; } = sidecars;

    /// <summary>Envoy's name of an outbound cluster: <c>outbound|80|v1|httpbin.demo.svc.cluster.local</c>.</summary>
    public string EnvoyClusterName(int port, string? subset, string host) =>
        _envoyClusters.GetOrAdd((port, subset, host), static k => $"outbound|{k.Port.ToString(CultureInfo.InvariantCulture)}|{k.Subset}|{k.Host}");

    /// <summary>Carries one request; appends the flows it produced to <paramref name="flows"/>.</summary>
    public MeshResponse Send(in MeshCall call, List<Flow> flows)
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
                        return Capped(call, Local(call, 404, "Not Found", "", TimeSpan.FromMilliseconds(0.2)));
                    }

                    var destination = PickWeighted(route, call.Random);
                    if (destination is null)
                    {
                        return Capped(call, Local(call, 503, "Service Unavailable", EnvoyReplies.NoHealthyUpstream, TimeSpan.FromMilliseconds(0.2)));
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
                            return Capped(call, Local(call, fault.AbortStatus, HttpStatusText.For(fault.AbortStatus), EnvoyReplies.FaultAbort, extraDelay));
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
                            return Capped(call, Local(call, 503, "Service Unavailable", EnvoyReplies.NoHealthyUpstream, TimeSpan.FromMilliseconds(0.2)));
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
                    detector = Sidecars.Detector(call.Cluster, client.Namespace, client.Name, EnvoyClusterName(port, subset, service.Fqdn), outlier, call.At);
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
                    return Capped(call, Local(call, 503, "Service Unavailable", EnvoyReplies.NoHealthyUpstream, TimeSpan.FromMilliseconds(0.2) + extraDelay));
                }

                backend = healthy[healthy.Count == 1 ? 0 : call.Random.Next(healthy.Count)];
                hostCount = hosts.Count;
            }
            else
            {
                if (call.Backends.Count == 0)
                {
                    return Failed(call, PodHttpOutcome.ConnectionRefused, TimeSpan.FromMilliseconds(0.3));
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
        var firstFlow = flows.Count;
        var first = Connect(call, sidecar, backend, service, port, targetPort, subset, rule, detector, hostCount, routeTimeout, extraDelay, 1, flows);
        var retry = sidecar && service is not null ? route?.Retries ?? RetryPolicyConfig.IstioDefault : null;
        return retry is not null && retry.Retries(first)
            ? Retry(call, retry, first, backend, firstFlow, sidecar, service!, port, subset, rule, detector, hosts, routeTimeout, flows)
            : Capped(call, first);
    }

    /// <summary>
    /// Envoy's router retrying: each retry after a jittered back-off, to a healthy host not tried yet when one exists;
    /// every attempt is a real request (flows, outlier accounting). The flows of earlier attempts are moved back in time
    /// so the attempts follow each other and the last ends at <see cref="MeshCall.At"/>.
    /// </summary>
    private MeshResponse Retry(in MeshCall call, RetryPolicyConfig retry, MeshResponse first, TrafficPod firstHost, int firstFlow, bool sidecar, TrafficService service, int port, string? subset, DestinationRuleConfig? rule, OutlierDetector? detector, IReadOnlyList<TrafficPod> hosts, TimeSpan? routeTimeout, List<Flow> flows)
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
                response = Local(call, 503, "Service Unavailable", EnvoyReplies.NoHealthyUpstream, TimeSpan.Zero);
                break;
            }

            var host = healthy[call.Random.Next(healthy.Count)];
            for (var pick = 1; pick < 5 && tried.Contains(host); pick++)
            {
                host = healthy[call.Random.Next(healthy.Count)];
            }

            tried.Add(host);
            var start = flows.Count;
            response = Connect(call, sidecar, host, service, port, service.TargetPortOn(port, host) ?? port, subset, rule, detector, hosts.Count, routeTimeout, TimeSpan.Zero, attempt, flows);
            total += response.Elapsed;
            ends.Add((start, total));
            if (!retry.Retries(response))
            {
                break;
            }
        }

        for (var i = 0; i < ends.Count; i++)
        {
            var end = i + 1 < ends.Count ? ends[i + 1].FlowStart : flows.Count;
            MeshFlows.Shift(flows, ends[i].FlowStart, end, ends[i].End - total);
        }

        return Capped(call, response with { Elapsed = total });
    }

    private MeshResponse Connect(in MeshCall call, bool sidecar, TrafficPod backend, TrafficService? service, int port, int targetPort, string? subset, DestinationRuleConfig? rule, OutlierDetector? detector, int hostCount, TimeSpan? routeTimeout, TimeSpan extraDelay, int attempt, List<Flow> flows)
    {
        var serverSidecar = call.Istio.Installed && backend.HasSidecar;
        var (serverMode, _) = serverSidecar ? call.Istio.MtlsFor(backend.Key, backend.Namespace, backend.Labels, targetPort) : (MtlsMode.Disable, null);
        // A pod IP matches no Service listener: the sidecar passes it through (PassthroughCluster), in plaintext.
        var mtls = sidecar && service is not null && (rule?.TlsFor(subset, port) switch
        {
            ClientTlsMode.Disable => false,
            ClientTlsMode.IstioMutual or ClientTlsMode.Mutual or ClientTlsMode.Simple => true,
            _ => serverSidecar && serverMode != MtlsMode.Disable, // auto mTLS
        });

        var source = call.ClientEndpoint ?? Endpoint(call, call.Client);
        var destination = Endpoint(call, backend);
        var verdict = call.Policy.Decide(source.Identity, destination.Identity, IpProtocol.Tcp, targetPort);
        var serviceName = service is null ? null : _serviceNames.GetValue(service, static s => new ServiceName(s.Name, s.Namespace));
        var sourcePort = 32768 + call.Random.Next(28232);
        var handshake = TimeSpan.FromMilliseconds(0.3 + call.Random.NextDouble() * 0.4);

        if (!verdict.IsForwarded)
        {
            // The SYN is dropped: the client (or its sidecar) waits for an answer that never comes.
            var waited = sidecar ? EnvoyReplies.ConnectTimeout : EnvoyReplies.KernelConnectTimeout;
            flows.AddRange(call.FlowBuilder.Build(new SimulatedConnection(source, destination, IpProtocol.Tcp, sourcePort, targetPort, call.At - waited, waited, serviceName), verdict));
            detector?.Record(backend.Name, 0, hostCount, call.At);
            return sidecar
                ? Proxy(call, 503, "Service Unavailable", EnvoyReplies.ConnectionTimeout, waited + extraDelay, backend, MeshFailure.ConnectFailure)
                : Failed(call, PodHttpOutcome.TimedOut, waited, backend);
        }

        var proxyInPath = verdict.L7ProxyInPath;
        if (mtls && proxyInPath)
        {
            // The seam: Cilium's proxy parses HTTP on this port and gets a TLS ClientHello. It answers 400 and closes; the
            // client sidecar reads that as a broken TLS record. No request reached the proxy's access log: no L7 flow.
            flows.AddRange(call.FlowBuilder.Build(new SimulatedConnection(source, destination, IpProtocol.Tcp, sourcePort, targetPort, call.At - handshake * 2, handshake * 2, serviceName), verdict));
            detector?.Record(backend.Name, 0, hostCount, call.At);
            return Proxy(call, 503, "Service Unavailable", EnvoyReplies.TlsWrongVersion, handshake * 2 + extraDelay, backend, MeshFailure.ConnectFailure);
        }

        HttpVerdict? l7 = proxyInPath ? verdict.EvaluateHttp(call.Request) : null;
        if (l7 is { IsAllowed: false })
        {
            var denied = TimeSpan.FromMilliseconds(0.2);
            flows.AddRange(call.FlowBuilder.Build(new SimulatedConnection(source, destination, IpProtocol.Tcp, sourcePort, targetPort, call.At - handshake - denied, handshake + denied, serviceName),
                verdict, Exchange(call, HttpVerdict.AccessDeniedStatusCode, denied)));
            detector?.Record(backend.Name, HttpVerdict.AccessDeniedStatusCode, hostCount, call.At);
            var deniedResponse = new MeshResponse(PodHttpOutcome.Response, 403, "Forbidden",
                call.WantBody ? [new("content-length", "15"), new("content-type", "text/plain"), new("date", Date(call.At)), new("server", "envoy")] : [],
                HttpVerdict.AccessDeniedBody, handshake + denied + extraDelay, backend, LocalReply: true, Address(call, backend));
            return sidecar ? WithClientSidecarHeaders(call, deniedResponse, denied) : deniedResponse;
        }

        var plaintextRefused = serverSidecar && serverMode == MtlsMode.Strict && !mtls;
        var tlsToPlainPort = mtls && (!serverSidecar || serverMode == MtlsMode.Disable);
        if (plaintextRefused || tlsToPlainPort)
        {
            var connection = new SimulatedConnection(source, destination, IpProtocol.Tcp, sourcePort, targetPort, call.At - handshake * 2, handshake * 2, serviceName);
            if (proxyInPath)
            {
                // Cilium's proxy read the request and forwarded it; the server reset, so the proxy answers 503 itself.
                flows.AddRange(call.FlowBuilder.Build(connection, verdict, Exchange(call, 503, handshake)));
                detector?.Record(backend.Name, 503, hostCount, call.At);
                return Proxy(call, 503, "Service Unavailable", EnvoyReplies.ConnectionTermination, handshake * 2 + extraDelay, backend, MeshFailure.None);
            }

            var built = call.FlowBuilder.Build(connection, verdict);
            MeshFlows.EndWithReset(built);
            flows.AddRange(built);
            detector?.Record(backend.Name, 0, hostCount, call.At);
            return sidecar
                ? Proxy(call, 503, "Service Unavailable", EnvoyReplies.ConnectionTermination, handshake * 2 + extraDelay, backend, MeshFailure.Reset)
                : Failed(call, PodHttpOutcome.ConnectionReset, handshake * 2, backend);
        }

        // The application.
        var app = DemoApplications.KindOf(backend);
        var behaviour = call.Settings.BehaviourOf(backend);
        var fail = behaviour.ErrorRate > 0 && call.Random.NextDouble() < behaviour.ErrorRate;
        var serviceTime = behaviour.SampleLatency(call.Random);
        var appRequest = new AppRequest(call.Request, "http", call.WantBody ? RequestHeaders(call, sidecar, serverSidecar, mtls, backend, attempt) : [], call.Body, !call.WantBody ? "" : serverSidecar ? "127.0.0.6" : call.Client.Ip.ToString());
        var answer = DemoApplications.Handle(app, backend, targetPort, appRequest, fail, serviceTime, call.At, call.Random, call.WantBody);
        if (answer.Reaction != AppReaction.Http)
        {
            var refused = answer.Reaction == AppReaction.Refused && !serverSidecar;
            var connection = new SimulatedConnection(source, destination, IpProtocol.Tcp, sourcePort, targetPort, call.At - handshake * 2 - answer.Latency, handshake * 2 + answer.Latency, serviceName);
            var built = call.FlowBuilder.Build(connection, verdict, proxyInPath && !mtls ? Exchange(call, 503, answer.Latency) : null);
            if (!proxyInPath)
            {
                MeshFlows.EndWithReset(built);
            }

            flows.AddRange(built);
            detector?.Record(backend.Name, 0, hostCount, call.At);
            if (sidecar || proxyInPath || serverSidecar)
            {
                var body = answer.Reaction == AppReaction.Refused ? EnvoyReplies.ConnectionFailure : EnvoyReplies.ConnectionTermination;
                var failure = serverSidecar || proxyInPath ? MeshFailure.None : answer.Reaction == AppReaction.Refused ? MeshFailure.ConnectFailure : MeshFailure.Reset;
                return Proxy(call, 503, "Service Unavailable", body, handshake * 2 + answer.Latency + extraDelay, backend, failure);
            }

            return Failed(call, refused ? PodHttpOutcome.ConnectionRefused : PodHttpOutcome.EmptyReply, handshake * 2 + answer.Latency, backend);
        }

        var latency = answer.Latency + extraDelay;
        if (routeTimeout is { } timeout && latency > timeout)
        {
            flows.AddRange(call.FlowBuilder.Build(new SimulatedConnection(source, destination, IpProtocol.Tcp, sourcePort, targetPort, call.At - handshake - timeout, handshake + timeout, serviceName),
                verdict, proxyInPath ? Exchange(call, answer.Status, timeout) : null));
            detector?.Record(backend.Name, 504, hostCount, call.At);
            return Proxy(call, 504, "Gateway Timeout", EnvoyReplies.RequestTimeout, handshake + timeout, backend, MeshFailure.Timeout);
        }

        flows.AddRange(call.FlowBuilder.Build(new SimulatedConnection(source, destination, IpProtocol.Tcp, sourcePort, targetPort, call.At - handshake - latency, handshake + latency, serviceName),
            verdict, proxyInPath ? Exchange(call, answer.Status, answer.Latency) : null));
        detector?.Record(backend.Name, answer.Status, hostCount, call.At);
        var response = new MeshResponse(PodHttpOutcome.Response, answer.Status, answer.Reason, answer.Headers, answer.Body, handshake + latency, backend, LocalReply: false, Address(call, backend));
        if (serverSidecar && call.WantBody)
        {
            // Envoy re-encodes the status line with its own reason phrase.
            response = response with { Headers = EnvoyHeaders(answer.Headers, "istio-envoy", answer.Latency), Reason = HttpStatusText.For(answer.Status) };
        }

        if (sidecar)
        {
            response = WithClientSidecarHeaders(call, response, answer.Latency);
        }

        return response;
    }

    /// <summary>Streams after --max-time are cut by curl: exit 28, whatever was coming.</summary>
    private static MeshResponse Capped(in MeshCall call, MeshResponse response) =>
        call.MaxTime is { } max && response.Elapsed > max
            ? new MeshResponse(PodHttpOutcome.TimedOut, 0, "", [], "", max, response.ServedBy, false, response.RemoteAddress)
            : response;

    private static MeshResponse Failed(in MeshCall call, PodHttpOutcome outcome, TimeSpan elapsed, TrafficPod? backend = null) =>
        call.MaxTime is { } max && elapsed > max
            ? new MeshResponse(PodHttpOutcome.TimedOut, 0, "", [], "", max, null, false, backend?.Ip.ToString())
            : new MeshResponse(outcome, 0, "", [], "", elapsed, null, false, backend?.Ip.ToString());

    /// <summary>A reply the client sidecar makes without sending anything: nothing leaves the pod, Hubble sees nothing.</summary>
    private static MeshResponse Local(in MeshCall call, int status, string reason, string body, TimeSpan elapsed) =>
        new(PodHttpOutcome.Response, status, reason, call.WantBody ? EnvoyLocalHeaders(body, call.At) : [], body, elapsed, null, LocalReply: true);

    private static MeshResponse Proxy(in MeshCall call, int status, string reason, string body, TimeSpan elapsed, TrafficPod backend, MeshFailure failure) =>
        new(PodHttpOutcome.Response, status, reason, call.WantBody ? EnvoyLocalHeaders(body, call.At) : [], body, elapsed, null, LocalReply: true, Address(call, backend), failure);

    private static KeyValuePair<string, string>[] EnvoyLocalHeaders(string body, DateTimeOffset at) =>
    [
        new("content-length", body.Length.ToString(CultureInfo.InvariantCulture)),
        new("content-type", "text/plain"),
        new("date", Date(at)),
        new("server", "envoy"),
    ];

    private static MeshResponse WithClientSidecarHeaders(in MeshCall call, MeshResponse response, TimeSpan upstreamTime) =>
        call.WantBody ? response with { Headers = EnvoyHeaders(response.Headers, "envoy", upstreamTime), Reason = HttpStatusText.For(response.Status) } : response;

    /// <summary>Envoy lower-cases header names on HTTP/1.1, replaces <c>server</c> and adds its service time.</summary>
    private static KeyValuePair<string, string>[] EnvoyHeaders(IReadOnlyList<KeyValuePair<string, string>> headers, string server, TimeSpan upstreamTime)
    {
        var result = new List<KeyValuePair<string, string>>(headers.Count + 2);
        foreach (var (name, value) in headers)
        {
            var lower = name.ToLowerInvariant();
            if (lower is "server" or "x-envoy-upstream-service-time" or "connection")
            {
                continue;
            }

            result.Add(new(lower, value));
        }

        result.Add(new("x-envoy-upstream-service-time", ((long)Math.Max(1, upstreamTime.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture)));
        result.Add(new("server", server));
        return [.. result];
    }

    /// <summary>The headers the application receives: curl's, the caller's, and what the sidecars on the way add.</summary>
    private static List<KeyValuePair<string, string>> RequestHeaders(in MeshCall call, bool clientSidecar, bool serverSidecar, bool mtls, TrafficPod backend, int attempt)
    {
        var headers = new List<KeyValuePair<string, string>>
        {
            new("Host", call.Request.Host),
            new("User-Agent", "curl/8.11.1"),
            new("Accept", "*/*"),
        };
        foreach (var header in call.ExtraHeaders ?? [])
        {
            headers.RemoveAll(h => string.Equals(h.Key, header.Key, StringComparison.OrdinalIgnoreCase));
            headers.Add(header);
        }

        if (call.Body is not null && !headers.Any(h => string.Equals(h.Key, "Content-Type", StringComparison.OrdinalIgnoreCase)))
        {
            headers.Add(new("Content-Type", "application/x-www-form-urlencoded"));
        }

        if (call.Body is not null)
        {
            headers.Add(new("Content-Length", System.Text.Encoding.UTF8.GetByteCount(call.Body).ToString(CultureInfo.InvariantCulture)));
        }

        if (clientSidecar || serverSidecar)
        {
            var trace = Hex(call.Random, 16);
            headers.Add(new("X-B3-Traceid", trace));
            headers.Add(new("X-B3-Spanid", Hex(call.Random, 8)));
            headers.Add(new("X-B3-Sampled", "0"));
            if (clientSidecar && serverSidecar)
            {
                headers.Add(new("X-B3-Parentspanid", trace[16..]));
            }

            headers.Add(new("X-Request-Id", Uuid(call.Random)));
        }

        if (clientSidecar)
        {
            headers.Add(new("X-Envoy-Attempt-Count", attempt.ToString(CultureInfo.InvariantCulture)));
        }

        if (mtls && serverSidecar)
        {
            var server = $"spiffe://cluster.local/ns/{backend.Namespace}/sa/{backend.ServiceAccount}";
            var client = $"spiffe://cluster.local/ns/{call.Client.Namespace}/sa/{call.Client.ServiceAccount}";
            headers.Add(new("X-Forwarded-Client-Cert", $"By={server};Hash={Hex(call.Random, 32)};Subject=\"\";URI={client}"));
        }

        return headers;
    }

    private static SimulatedHttpExchange Exchange(in MeshCall call, int status, TimeSpan latency) =>
        new(call.Request.Method, call.Request.Host, call.Request.Path, status, latency, call.Request.Headers);

    private FlowEndpoint Endpoint(in MeshCall call, TrafficPod pod)
    {
        var key = (call.Cluster, pod.Key);
        if (_endpoints.TryGetValue(key, out var endpoint))
        {
            return endpoint;
        }

        var identity = call.Policy.IdentityOf(new PodEndpoint(pod.Namespace, pod.Name, pod.Labels, pod.Ip, pod.ServiceAccount, null, pod.NodeName));
        endpoint = new FlowEndpoint(pod.Ip, identity, pod.Namespace, pod.Name, pod.NodeName, pod.Workload, pod.Workload is null ? null : "Deployment", pod.CiliumEndpointId);
        return _endpoints.GetOrAdd(key, endpoint);
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

    /// <summary>For curl's output only; the generator's hot path does not format addresses.</summary>
    private static string? Address(in MeshCall call, TrafficPod pod) => call.WantBody ? pod.Ip.ToString() : null;

    private static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("r", CultureInfo.InvariantCulture);

    private static string Hex(Random random, int bytes)
    {
        Span<byte> buffer = stackalloc byte[bytes];
        random.NextBytes(buffer);
        return Convert.ToHexStringLower(buffer);
    }

    private static string Uuid(Random random)
    {
        Span<byte> buffer = stackalloc byte[16];
        random.NextBytes(buffer);
        buffer[6] = (byte)((buffer[6] & 0x0F) | 0x40);
        buffer[8] = (byte)((buffer[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexStringLower(buffer);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }
}
