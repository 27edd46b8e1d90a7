using System.Net;
using LabNet.Hubble.FlowApi;
using LabNet.Simulator.Cilium.Engine;
using LabNet.Simulator.Cilium.Identity;
using LabNet.Simulator.Cilium.Policy;
using LabNet.Simulator.Hubble.Flows;
using LabNet.Simulator.Hubble.Relay;
using LabNet.Simulator.Mesh;
using LabNet.Simulator.Workloads;

namespace LabNet.Simulator.Traffic;

/// <summary>
/// The demo's traffic on one cluster: at each step, as many connections per scenario as the rates ask for (fractions
/// carried over), between the cluster's real pods, judged by the cluster's Cilium policy, recorded as Hubble flows at
/// the observing nodes. All choices come from one seeded generator; not thread-safe (one caller drives it).
/// </summary>
public sealed class TrafficGenerator
{
    public const string DemoNamespace = "demo";

    // The Mac reaches NodePorts from the host-only network: outside the cluster, identity world.
    private static readonly IPAddress ExternalClient = IPAddress.Parse("192.168.64.1");

    private readonly string _cluster;
    private readonly CiliumPolicyEngine _engine;
    private readonly HubbleClusterFlows _hubble;
    private readonly TrafficSettingsStore _settings;
    private readonly IServiceRouter _router;
    private readonly Random _random;
    private readonly Dictionary<string, double> _carry = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FlowEndpoint> _endpoints = new(StringComparer.Ordinal);
    private readonly List<Flow> _batch = new(4096);

    private readonly ClusterDataPlane? _mesh;
    private readonly Func<bool> _socketLbInPods;

    /// <param name="mesh">When set, HTTP scenarios take the cluster's data plane (sidecars, VirtualService routes, outlier
    /// detection, mTLS and the Cilium/Istio seam), which records their flows itself.</param>
    /// <param name="socketLbInPods">Whether Cilium's socket load balancing translates ClusterIPs inside pods (kube-proxy
    /// replacement without <c>socketLB.hostNamespaceOnly</c>); read at every connection.</param>
    public TrafficGenerator(string cluster, CiliumPolicyEngine engine, HubbleClusterFlows hubble, TrafficSettingsStore settings, IServiceRouter router, int seed, ClusterDataPlane? mesh = null, Func<bool>? socketLbInPods = null)
    {
        _mesh = mesh;
        _socketLbInPods = socketLbInPods ?? (() => false);
        _cluster = cluster;
        _engine = engine;
        _hubble = hubble;
        _settings = settings;
        _router = router;
        _random = new Random(seed);
    }

    /// <summary>Connections simulated so far, by scenario.</summary>
    public Dictionary<string, long> Counts { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Simulates the traffic of the <paramref name="elapsed"/> that ended at <paramref name="now"/> and publishes its
    /// flows. Returns the number of connections.
    /// </summary>
    public int Step(TrafficTopology topology, DateTimeOffset now, TimeSpan elapsed)
    {
        var settings = _settings.Current;
        var demo = DemoPods.From(topology, _cluster);
        _batch.Clear();
        var total = 0;
        foreach (var scenario in TrafficScenarios.All)
        {
            var rate = settings.Rates.GetValueOrDefault(scenario);
            var due = _carry.GetValueOrDefault(scenario) + rate * elapsed.TotalSeconds;
            var count = (int)Math.Floor(due);
            _carry[scenario] = due - count;
            for (var i = 0; i < count; i++)
            {
                // Spread the scenario's connections over the step.
                var at = now - elapsed + elapsed * ((i + _random.NextDouble()) / count);
                if (Simulate(scenario, demo, topology, settings, at))
                {
                    total++;
                }
            }
        }

        _hubble.Publish(_batch);
        return total;
    }

    /// <summary>Simulates one connection of a scenario ending at <paramref name="at"/>; false when its pods do not exist.</summary>
    public bool Simulate(string scenario, DemoPods demo, TrafficTopology topology, TrafficSettings settings, DateTimeOffset at)
    {
        var done = scenario switch
        {
            TrafficScenarios.ExternalToNginx => _mesh is not null ? FromOutside(demo, topology, settings, at) : Connect(World(ExternalClient), demo.Nginx, IpProtocol.Tcp, 80, demo.NginxService, null, topology, settings, at),
            TrafficScenarios.NginxToHttpbin => Http(demo.Nginx, demo, "GET", "/get", topology, settings, at),
            TrafficScenarios.NginxPostToHttpbin => Http(demo.Nginx, demo, "POST", "/post", topology, settings, at),
            TrafficScenarios.NginxToRedis => Tcp(demo.Nginx, demo.Redis, 6379, demo.RedisService, topology, settings, at),
            TrafficScenarios.KeycloakToPostgres => Tcp(demo.Keycloak, demo.Postgres, 5432, demo.PostgresService, topology, settings, at),
            TrafficScenarios.Dns => Connect(Pick(demo.AllDemo), demo.KubeDns, IpProtocol.Udp, 53, demo.KubeDnsService, null, topology, settings, at),
            TrafficScenarios.RedisToHttpbin => Connect(Pick(demo.Redis), demo.Httpbin, IpProtocol.Tcp, 80, demo.HttpbinService, null, topology, settings, at),
            TrafficScenarios.UnlabeledToHttpbin => Connect(Pick(demo.Unlabeled), demo.Httpbin, IpProtocol.Tcp, 80, demo.HttpbinService, null, topology, settings, at),
            _ => false,
        };
        if (done)
        {
            Counts[scenario] = Counts.GetValueOrDefault(scenario) + 1;
        }

        return done;
    }

    private bool Http(IReadOnlyList<TrafficPod> clients, DemoPods demo, string method, string path, TrafficTopology topology, TrafficSettings settings, DateTimeOffset at)
    {
        var headers = _random.NextDouble() < settings.CanaryHeaderShare ? CanaryHeader : null;
        var request = new HttpRequestInfo(method, path, "httpbin", headers);
        if (_mesh is not null)
        {
            if (clients.Count == 0 || demo.Httpbin.Count == 0)
            {
                return false;
            }

            var client = clients[_random.Next(clients.Count)];
            var backends = demo.HttpbinService is null ? [demo.Httpbin[_random.Next(demo.Httpbin.Count)]] : demo.Httpbin;
            _mesh.Send(new MeshRequest(client, demo.HttpbinService, backends, 80, request, at), topology, _random);
            return true;
        }

        return Connect(Pick(clients), demo.Httpbin, IpProtocol.Tcp, 80, demo.HttpbinService, request, topology, settings, at);
    }

    /// <summary>
    /// A browser on the Mac opening nginx-web through NodePort 30080: Cilium picks the backend (no client sidecar), and
    /// the server's sidecar applies its PeerAuthentication (STRICT resets the plaintext connection).
    /// </summary>
    private bool FromOutside(DemoPods demo, TrafficTopology topology, TrafficSettings settings, DateTimeOffset at)
    {
        if (demo.Nginx.Count == 0)
        {
            return false;
        }

        var backends = demo.NginxService is null ? [demo.Nginx[_random.Next(demo.Nginx.Count)]] : demo.Nginx;
        _mesh!.Send(new MeshRequest(ExternalPod, demo.NginxService, backends, 80, ExternalRequest, at) { ClientEndpoint = World(ExternalClient) }, topology, _random);
        return true;
    }

    private static readonly TrafficPod ExternalPod = new("", "external", new Dictionary<string, string>(), ExternalClient, null, null, "default", "world/" + ExternalClient);
    private static readonly HttpRequestInfo ExternalRequest = new("GET", "/", "192.168.65.4:30080");

    private static readonly IReadOnlyDictionary<string, string> CanaryHeader = new Dictionary<string, string> { ["x-canary"] = "true" };

    /// <summary>
    /// A TCP connection (not HTTP) from a client pod to a Service. With Cilium's socket load balancing inside pods, the
    /// ClusterIP becomes a backend's pod IP at <c>connect()</c>, before the client sidecar's redirect: the sidecar sees a
    /// pod IP, which matches none of its TCP listeners, and passes the connection through in plaintext (Istio's
    /// PassthroughCluster). A server sidecar in STRICT mTLS then resets it. <c>socketLB.hostNamespaceOnly=true</c> keeps
    /// the translation out of pods, and the sidecar sends mTLS.
    /// </summary>
    private bool Tcp(IReadOnlyList<TrafficPod> clients, IReadOnlyList<TrafficPod> backends, int port, TrafficService? service, TrafficTopology topology, TrafficSettings settings, DateTimeOffset at)
    {
        if (clients.Count == 0 || backends.Count == 0)
        {
            return false;
        }

        var client = clients[_random.Next(clients.Count)];
        var istio = _mesh?.Istio;
        if (service is null || !client.HasSidecar || istio is not { Installed: true } || !_socketLbInPods())
        {
            return Connect(Endpoint(client), backends, IpProtocol.Tcp, port, service, null, topology, settings, at);
        }

        var backend = _router.Route(_cluster, service, backends, null, _random);
        var strict = backend.HasSidecar && istio.MtlsFor(backend.Key, backend.Namespace, backend.Labels, port).Mode == MtlsMode.Strict;
        return Connect(Endpoint(client), [backend], IpProtocol.Tcp, port, service, null, topology, settings, at, resetByServer: strict);
    }

    private bool Connect(FlowEndpoint? source, IReadOnlyList<TrafficPod> backends, IpProtocol protocol, int port, TrafficService? service, HttpRequestInfo? request, TrafficTopology topology, TrafficSettings settings, DateTimeOffset at, bool resetByServer = false)
    {
        if (source is null || backends.Count == 0)
        {
            return false;
        }

        var backend = service is null ? backends[_random.Next(backends.Count)] : _router.Route(_cluster, service, backends, request, _random);
        var destination = Endpoint(backend);
        var verdict = _engine.Decide(source.Identity, destination.Identity, protocol, port);
        SimulatedHttpExchange? exchange = null;
        var duration = TimeSpan.FromMilliseconds(1 + _random.NextDouble());
        if (request is not null)
        {
            var behaviour = settings.BehaviourOf(backend);
            var failed = _random.NextDouble() < behaviour.ErrorRate;
            var latency = behaviour.SampleLatency(_random);
            exchange = new SimulatedHttpExchange(request.Method, request.Host, request.Path, failed ? 503 : 200, latency, request.Headers);
            duration += latency;
        }

        // The connection (with its last packets, a fraction of a millisecond after its end) is over before 'at':
        // everything Hubble records about it is already in the past.
        var connection = new SimulatedConnection(source, destination, protocol, 32768 + _random.Next(28232), port, at - duration - TimeSpan.FromMilliseconds(1), duration,
            service is null ? null : new ServiceName(service.Name, service.Namespace));
        var flows = _hubble.Builder.Build(connection, verdict, exchange);
        if (resetByServer && verdict.IsForwarded)
        {
            MeshFlows.EndWithReset(flows);
        }

        _batch.AddRange(flows);
        return true;
    }

    private FlowEndpoint? Pick(IReadOnlyList<TrafficPod> pods) => pods.Count == 0 ? null : Endpoint(pods[_random.Next(pods.Count)]);

    private FlowEndpoint Endpoint(TrafficPod pod)
    {
        if (!_endpoints.TryGetValue(pod.Key, out var endpoint))
        {
            endpoint = PodFlowEndpoint.Of(pod, _engine);
            _endpoints[pod.Key] = endpoint;
        }

        return endpoint;
    }

    private FlowEndpoint World(IPAddress address)
    {
        var key = "world/" + address;
        if (!_endpoints.TryGetValue(key, out var endpoint))
        {
            endpoint = new FlowEndpoint(address, _engine.IdentityOf(new WorldEndpoint(address)));
            _endpoints[key] = endpoint;
        }

        return endpoint;
    }
}
