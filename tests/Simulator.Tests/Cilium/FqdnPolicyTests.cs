using System.Net;
using LabNet.Simulator.Cilium.Engine;
using LabNet.Simulator.Cilium.Identity;
using LabNet.Simulator.Cilium.Parsing;
using LabNet.Simulator.Cilium.Policy;

namespace LabNet.Simulator.Tests.Cilium;

/// <summary>toFQDNs: addresses allowed by the names Cilium's DNS proxy saw them returned for.</summary>
public sealed class FqdnPolicyTests
{
    private readonly CiliumPolicyEngine _engine = new(new CiliumPolicyEngineOptions { ClusterName = "dev" });

    private static readonly PodEndpoint Client = DemoLab.Pod("demo", "client", "10.20.1.1", ("app", "client"));
    private static readonly IPAddress GitHub = IPAddress.Parse("140.82.112.5");

    private void AllowEgressTo(string fqdns) => _engine.Apply(YamlManifests.ParseOne($"""
        apiVersion: cilium.io/v2
        kind: CiliumNetworkPolicy
        metadata:
          name: fqdn
          namespace: demo
        spec:
          endpointSelector:
            matchLabels:
              app: client
          egress:
            - toEndpoints:
                - matchLabels:
                    io.kubernetes.pod.namespace: kube-system
                    k8s-app: kube-dns
              toPorts:
                - ports:
                    - port: "53"
                      protocol: ANY
                  rules:
                    dns:
                      - matchPattern: "*"
            - toFQDNs:
        {fqdns}
              toPorts:
                - ports:
                    - port: "443"
                      protocol: TCP
        """));

    [Fact]
    public void An_address_learned_for_a_matching_name_is_allowed_and_stays_known()
    {
        AllowEgressTo("""
                    - matchName: api.github.com
            """);

        VerdictAssert.Dropped(_engine.Decide(Client, new WorldEndpoint(GitHub), IpProtocol.Tcp, 443), TrafficDirection.Egress);

        var learned = new WorldEndpoint(GitHub, ["api.github.com"]);
        var verdict = _engine.Decide(Client, learned, IpProtocol.Tcp, 443);
        VerdictAssert.Forwarded(verdict);
        Assert.Equal(["cidr:140.82.112.5/32", "fqdn:api.github.com", "reserved:world"], verdict.Destination.Labels.Formatted);
        VerdictAssert.Dropped(_engine.Decide(Client, learned, IpProtocol.Tcp, 22), TrafficDirection.Egress);

        // The ipcache now maps the address to its FQDN identity for every later connection.
        VerdictAssert.Forwarded(_engine.Decide(Client, new WorldEndpoint(GitHub), IpProtocol.Tcp, 443));
    }

    [Fact]
    public void Names_that_match_no_selector_do_not_open_anything()
    {
        AllowEgressTo("""
                    - matchName: api.github.com
            """);

        VerdictAssert.Dropped(_engine.Decide(Client, new WorldEndpoint(IPAddress.Parse("1.2.3.4"), ["evil.example.com"]), IpProtocol.Tcp, 443), TrafficDirection.Egress);
    }

    [Theory]
    [InlineData("api.github.com", true)]
    [InlineData("API.GitHub.com.", true)]
    [InlineData("github.com", false)]
    [InlineData("a.b.github.com", false)]
    [InlineData("api.github.com.evil.io", false)]
    public void Match_pattern_star_covers_one_label(string name, bool allowed)
    {
        AllowEgressTo("""
                    - matchPattern: "*.github.com"
            """);

        var verdict = _engine.Decide(Client, new WorldEndpoint(IPAddress.Parse("140.82.113.9"), [name]), IpProtocol.Tcp, 443);
        Assert.Equal(allowed, verdict.IsForwarded);
    }

    [Fact]
    public void Match_pattern_double_star_covers_any_depth()
    {
        AllowEgressTo("""
                    - matchPattern: "**.example.com"
            """);

        Assert.True(_engine.Decide(Client, new WorldEndpoint(IPAddress.Parse("93.184.216.1"), ["a.b.example.com"]), IpProtocol.Tcp, 443).IsForwarded);
        Assert.True(_engine.Decide(Client, new WorldEndpoint(IPAddress.Parse("93.184.216.2"), ["www.example.com"]), IpProtocol.Tcp, 443).IsForwarded);
        Assert.False(_engine.Decide(Client, new WorldEndpoint(IPAddress.Parse("93.184.216.3"), ["example.com"]), IpProtocol.Tcp, 443).IsForwarded);
    }

    [Fact]
    public void Fqdn_selectors_are_validated()
    {
        var error = Assert.Throws<InvalidPolicyException>(() => _engine.Apply(YamlManifests.ParseOne("""
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata:
              name: bad-fqdn
              namespace: demo
            spec:
              endpointSelector: {}
              egress:
                - toFQDNs:
                    - matchName: "*.github.com"
                    - matchName: a.com
                      matchPattern: "*.a.com"
                - toFQDNs:
                    - matchName: a.com
                  toEndpoints:
                    - {}
              egressDeny:
                - toFQDNs:
                    - matchName: a.com
            """)));

        Assert.Contains(error.Errors, e => e.StartsWith("spec.egress[0].toFQDNs[0].matchName: \"*.github.com\" is not a DNS name", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("spec.egress[0].toFQDNs[1]: needs exactly one of matchName or matchPattern", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("spec.egress[1]: combining toEndpoints and toFQDNs is not supported", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.StartsWith("spec.egressDeny[0].toFQDNs: toFQDNs cannot be used in deny rules", StringComparison.Ordinal));
    }
}
