using LabNet.Hubble.FlowApi;
using LabNet.Simulator.Cilium.Engine;
using LabNet.Simulator.Hubble.Flows;
using LabNet.Simulator.Hubble.Relay;
using LabNet.Simulator.Tests.Cilium;
using LabNet.Simulator.Traffic.Background;
using LabNet.Simulator.Workloads;
using DropReason = LabNet.Hubble.FlowApi.DropReason;
using TrafficDirection = LabNet.Hubble.FlowApi.TrafficDirection;

// Hubble still fills the deprecated Summary field, which is what hubble observe prints.
#pragma warning disable CS0612

namespace LabNet.Simulator.Tests.Traffic.Background;

public sealed class ClusterBackgroundTrafficTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);
    private readonly CiliumPolicyEngine _engine = new(new CiliumPolicyEngineOptions { ClusterName = "staging" });
    private readonly HubbleClusterFlows _hubble = new("staging", 100_000, Start, 1);

    private ClusterBackgroundTraffic NewModel(int seed = 7) =>
        new("staging", "v1.31.14", _engine, _hubble, new StagingDns(), new BackgroundTrafficOptions(), seed);

    /// <summary>Steps the model once a second from <see cref="Start"/> through <paramref name="seconds"/>.</summary>
    private static void Run(ClusterBackgroundTraffic model, int seconds, TrafficTopology? topology = null, int from = 0)
    {
        for (var s = from; s <= seconds; s++)
        {
            model.Step(topology ?? StagingTopology.Cluster(), Start.AddSeconds(s));
        }
    }

    private List<Flow> Flows() => _hubble.Rings.SelectMany(r => r.Snapshot().Events).Select(e => e.Flow).ToList();

    private static bool Opens(Flow f) => f.EventType.Type == HubbleEventTypes.Trace && f.L4?.TCP?.Flags is { SYN: true, ACK: false };

    private void Apply(string yaml) => _engine.Apply(YamlManifests.ParseOne(yaml));

    [Fact]
    public void Kubelet_probes_come_from_the_nodes_host_every_period_and_pass_a_default_deny_by_allow_localhost()
    {
        Apply("""
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: web-lockdown, namespace: shop}
            spec:
              endpointSelector: {matchLabels: {app: web}}
              ingress: [{}]
            """);

        Run(NewModel(), 60);

        var probes = Flows().Where(f => f.Destination.PodName == StagingTopology.Web.Name && f.Source.Identity == 1).ToList();
        Assert.Equal(6, probes.Count(Opens));
        Assert.All(probes, f => Assert.Equal(Verdict.Forwarded, f.Verdict));
        Assert.All(probes, f => Assert.Equal("staging/staging-worker1", f.NodeName));
        Assert.All(probes.Where(Opens), f => Assert.Equal(("192.168.65.21", 80u), (f.IP.Source, f.L4.TCP.DestinationPort)));
        Assert.Equal(6, probes.Count(f => f.EventType.Type == HubbleEventTypes.PolicyVerdict && f.TrafficDirection == TrafficDirection.Ingress));
        Assert.DoesNotContain(Flows(), f => f.EventType.Type == HubbleEventTypes.Drop);
    }

    [Fact]
    public void A_probe_through_an_http_proxy_is_logged_with_the_kubelets_user_agent_and_an_explicit_deny_of_the_host_drops_it()
    {
        Apply("""
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: web-visibility, namespace: shop}
            spec:
              endpointSelector: {matchLabels: {app: web}}
              ingress:
                - fromEntities: [host]
                  toPorts: [{ports: [{port: "80", protocol: TCP}], rules: {http: [{method: GET, path: /healthz}]}}]
            """);
        var model = NewModel();
        Run(model, 20);

        var requests = Flows().Where(f => f.L7?.Type == L7FlowType.Request && f.Destination.PodName == StagingTopology.Web.Name).ToList();
        Assert.NotEmpty(requests);
        Assert.All(requests, r => Assert.Equal(("GET", "http://10.30.1.10:80/healthz", Verdict.Forwarded), (r.L7.Http.Method, r.L7.Http.Url, r.Verdict)));
        Assert.All(requests, r => Assert.Contains(r.L7.Http.Headers, h => h.Key == "user-agent" && h.Value == "kube-probe/1.31"));

        Apply("""
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: web-no-host, namespace: shop}
            spec:
              endpointSelector: {matchLabels: {app: web}}
              ingressDeny: [{fromEntities: [host]}]
            """);
        Run(model, 40, from: 21);

        var drops = Flows().Where(f => f.EventType.Type == HubbleEventTypes.Drop && f.Destination.PodName == StagingTopology.Web.Name).ToList();
        Assert.Equal(2, drops.Count);
        Assert.All(drops, d => Assert.Equal((DropReason.PolicyDeny, 1u), (d.DropReasonDesc, d.Source.Identity)));
    }

    [Fact]
    public void Pods_that_use_kube_dns_look_names_up_at_the_configured_mean_rate_and_others_do_not()
    {
        var model = NewModel();
        Run(model, 600);

        var lookups = Flows().Where(f => f.EventType.Type == HubbleEventTypes.Trace && f.L4?.UDP?.DestinationPort == 53 && f.IsReply != true).ToList();
        // Three pods use kube-dns (web, client, relay) at one lookup per 30 s on average: 60 expected in 10 minutes.
        Assert.InRange(lookups.Count, 60 - 5 * 8, 60 + 5 * 8);
        Assert.Equal(lookups.Count, model.Counts["dns"]);
        Assert.Equal(
            new[] { StagingTopology.Web.Name, StagingTopology.Client.Name, StagingTopology.Relay.Name }.Order(),
            lookups.Select(f => f.Source.PodName).Distinct().Order());
        Assert.All(lookups, f => Assert.Equal((StagingTopology.CoreDns.Name, "kube-dns"), (f.Destination.PodName, f.DestinationService.Name)));
        Assert.DoesNotContain(Flows(), f => f.Type == FlowType.L7);
    }

    [Fact]
    public void A_dns_rule_puts_the_proxy_in_the_path_which_answers_allowed_names_and_refuses_the_others()
    {
        Apply("""
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: client-dns, namespace: shop}
            spec:
              endpointSelector: {matchLabels: {app: client}}
              egress:
                - toEndpoints: [{matchLabels: {k8s:io.kubernetes.pod.namespace: kube-system, k8s-app: kube-dns}}]
                  toPorts: [{ports: [{port: "53", protocol: ANY}], rules: {dns: [{matchName: web.shop.svc.cluster.local}]}}]
            """);

        Run(NewModel(), 600);

        var dns = Flows().Where(f => f.L7?.Dns is not null).ToList();
        Assert.NotEmpty(dns);
        Assert.All(dns, f => Assert.Contains(StagingTopology.Client.Name, new[] { f.Source.PodName, f.Destination.PodName }));
        var requests = dns.Where(f => f.L7.Type == L7FlowType.Request).ToList();
        var answers = dns.Where(f => f.L7.Type == L7FlowType.Response).ToList();
        Assert.Equal(requests.Count, answers.Count);
        Assert.All(requests.Where(r => r.L7.Dns.Query == "web.shop.svc.cluster.local."), r => Assert.Equal(Verdict.Forwarded, r.Verdict));
        Assert.All(requests.Where(r => r.L7.Dns.Query == "kubernetes.default.svc.cluster.local."), r => Assert.Equal(Verdict.Dropped, r.Verdict));
        Assert.Contains(answers, a => a.L7.Dns.Rcode == 0 && a.L7.Dns.Ips.SequenceEqual(["10.98.0.20"]) && a.Summary == "DNS Answer \"10.98.0.20\" TTL: 30 (Proxy web.shop.svc.cluster.local. A)");
        Assert.Contains(answers, a => a.L7.Dns.Rcode == 5 && a.L7.Dns.Query == "kubernetes.default.svc.cluster.local." && a.L7.Dns.Ips.Count == 0);
        Assert.All(answers, a => Assert.Equal((StagingTopology.CoreDns.Name, StagingTopology.Client.Name, TrafficDirection.Egress), (a.Source.PodName, a.Destination.PodName, a.TrafficDirection)));
    }

    [Fact]
    public void A_lookup_the_pods_egress_policy_does_not_allow_is_dropped()
    {
        Apply("""
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata: {name: client-no-egress, namespace: shop}
            spec:
              endpointSelector: {matchLabels: {app: client}}
              egress: [{}]
            """);

        Run(NewModel(), 300);

        var fromClient = Flows().Where(f => f.Source.PodName == StagingTopology.Client.Name && f.L4?.UDP?.DestinationPort == 53).ToList();
        var drops = fromClient.Where(f => f.EventType.Type == HubbleEventTypes.Drop).ToList();
        Assert.NotEmpty(drops);
        Assert.All(drops, d => Assert.Equal((DropReason.PolicyDenied, TrafficDirection.Egress, "staging/staging-worker1"), (d.DropReasonDesc, d.TrafficDirection, d.NodeName)));
        Assert.DoesNotContain(fromClient, f => f.EventType.Type == HubbleEventTypes.Trace);
    }

    [Fact]
    public void Cilium_health_checks_every_nodes_health_endpoint_from_every_node_once_a_minute()
    {
        Run(NewModel(), 60);

        var health = Flows().Where(f => f.Destination.Identity == 4 && f.IsReply != true && f.EventType.Type == HubbleEventTypes.Trace).ToList();
        var opened = health.Where(f => f.L4.ICMPv4 is not null || Opens(f)).ToList();
        Assert.Equal(8, opened.Count);
        Assert.Equal(4, opened.Count(f => f.L4.TCP?.DestinationPort == 4240));
        Assert.Equal(
            [("192.168.65.20", 1u, "10.30.0.254"), ("192.168.65.20", 6u, "10.30.1.254"), ("192.168.65.21", 1u, "10.30.1.254"), ("192.168.65.21", 6u, "10.30.0.254")],
            opened.Select(f => (f.IP.Source, f.Source.Identity, f.IP.Destination)).Distinct().Order());
        Assert.All(opened, f => Assert.Equal(f.IP.Destination == "10.30.0.254" ? "staging/staging-master" : "staging/staging-worker1", f.NodeName));
    }

    [Fact]
    public void Hubble_relay_opens_one_connection_to_each_agent_keeps_it_open_and_a_new_relay_pod_opens_its_own()
    {
        var model = NewModel();
        Run(model, 30);

        var toAgents = Flows().Where(f => f.L4?.TCP?.DestinationPort == 4244).ToList();
        Assert.Equal(2, toAgents.Count(Opens));
        Assert.Equal([(1u, "192.168.65.21"), (6u, "192.168.65.20")], toAgents.Where(Opens).Select(f => (f.Destination.Identity, f.IP.Destination)).Order());
        Assert.DoesNotContain(Flows(), f => f.L4?.TCP?.Flags?.FIN == true && (f.L4.TCP.DestinationPort == 4244 || f.L4.TCP.SourcePort == 4244));

        var replaced = StagingTopology.Pod("kube-system", "hubble-relay-7b9c8d6f5-sssss", "10.30.1.21", StagingTopology.Worker, ("k8s-app", "hubble-relay"));
        var topology = StagingTopology.Cluster() is var t ? t with { Pods = [.. t.Pods.Where(p => p != StagingTopology.Relay), replaced] } : null;
        Run(model, 40, topology, from: 31);

        Assert.Equal(4, Flows().Count(f => f.L4?.TCP?.DestinationPort == 4244 && Opens(f)));
        Assert.Equal(4, model.Counts["relay"]);
    }

    [Fact]
    public void Nodes_whose_cilium_agent_is_not_ready_carry_no_background_traffic()
    {
        var topology = StagingTopology.Cluster() is var t
            ? t with { Pods = [.. t.Pods.Select(p => p.Label("k8s-app") == "cilium" && p.NodeName == StagingTopology.Worker.Name ? p with { Ready = false } : p)] }
            : null;

        Run(NewModel(), 120, topology);

        Assert.NotEmpty(Flows());
        Assert.All(Flows(), f => Assert.Equal("staging/staging-master", f.NodeName));
        Assert.DoesNotContain(Flows(), f => f.Source.PodName is { Length: > 0 } name && name != StagingTopology.CoreDns.Name);
    }

    [Fact]
    public void The_same_seed_replays_the_same_flows()
    {
        Run(NewModel(seed: 11), 120);
        var first = Flows().Select(f => (f.Time, f.Summary, f.IP.Source, f.IP.Destination)).ToList();
        var again = new HubbleClusterFlows("staging", 100_000, Start, 1);
        var model = new ClusterBackgroundTraffic("staging", "v1.31.14", _engine, again, new StagingDns(), new BackgroundTrafficOptions(), 11);
        Run(model, 120);

        Assert.Equal(first, again.Rings.SelectMany(r => r.Snapshot().Events).Select(e => (e.Flow.Time, e.Flow.Summary, e.Flow.IP.Source, e.Flow.IP.Destination)).ToList());
    }

    [Fact]
    public void No_flow_is_recorded_after_the_instant_it_was_simulated_for()
    {
        var model = NewModel();
        for (var s = 0; s <= 90; s++)
        {
            var now = Start.AddSeconds(s);
            model.Step(StagingTopology.Cluster(), now);
            Assert.All(Flows(), f => Assert.True(f.Time.ToDateTimeOffset() <= now, $"{f.Summary} at {f.Time} after {now}"));
        }
    }
}
