using LabNet.Simulator.Cilium.Engine;
using LabNet.Simulator.Cilium.Parsing;
using LabNet.Simulator.Cilium.Policy;

namespace LabNet.Simulator.Tests.Cilium;

/// <summary>Invalid policies are rejected whole, with errors naming the policy, the field and the fix.</summary>
public sealed class PolicyParsingErrorTests
{
    private readonly CiliumPolicyEngine _engine = new();

    private InvalidPolicyException Reject(string spec, string kind = "CiliumNetworkPolicy")
    {
        var yaml = $"""
            apiVersion: cilium.io/v2
            kind: {kind}
            metadata:
              name: broken
              namespace: demo
            {spec}
            """;
        var revision = _engine.Revision;
        var error = Assert.Throws<InvalidPolicyException>(() => _engine.Apply(YamlManifests.ParseOne(yaml)));
        Assert.Equal(revision, _engine.Revision);
        Assert.Empty(_engine.Policies);
        return error;
    }

    [Fact]
    public void Unknown_protocol_names_the_field_and_the_allowed_values()
    {
        var error = Reject("""
            spec:
              endpointSelector: {}
              ingress:
                - toPorts:
                    - ports:
                        - port: "80"
                          protocol: tcp
            """);

        Assert.Equal("CiliumNetworkPolicy demo/broken", error.Policy);
        var message = Assert.Single(error.Errors);
        Assert.StartsWith("spec.ingress[0].toPorts[0].ports[0].protocol:", message);
        Assert.Contains("use one of TCP, UDP, SCTP, ANY", message);
        Assert.Contains("CiliumNetworkPolicy demo/broken was rejected and not applied", error.Message);
    }

    [Fact]
    public void A_numeric_port_must_be_quoted()
    {
        var error = Reject("""
            spec:
              endpointSelector: {}
              egress:
                - toPorts:
                    - ports:
                        - port: 53
            """);

        var message = Assert.Single(error.Errors);
        Assert.StartsWith("spec.egress[0].toPorts[0].ports[0].port:", message);
        Assert.Contains("port: \"53\"", message);
    }

    [Fact]
    public void Every_problem_is_reported_at_once_and_nothing_is_applied()
    {
        var error = Reject("""
            spec:
              endpointSelector:
                matchLabels:
                  app: server
              ingress:
                - fromEntities:
                    - internet
                - fromEndpoints:
                    - matchLabels:
                        app: client
                  fromCIDR:
                    - 10.0.0.0/8
              egress:
                - toCIDRSet:
                    - cidr: 10.0.0.0/16
                      except:
                        - 192.168.0.0/24
                - toPorts:
                    - ports:
                        - port: "80"
                          protocol: TCP
                      rules:
                        http:
                          - path: "/api/(v1"
              egressDeny:
                - toPorts:
                    - ports:
                        - port: "80"
                      rules:
                        http:
                          - method: GET
              colour: blue
            """);

        Assert.Collection(error.Errors.Order(StringComparer.Ordinal),
            e => Assert.Contains("spec.colour: unknown field \"colour\"", e),
            e => Assert.Contains("spec.egressDeny[0].toPorts[0].rules: deny rules cannot carry L7 rules", e),
            e => Assert.Contains("spec.egress[0].toCIDRSet[0].except[0]: allow CIDR prefix 10.0.0.0/16 does not contain exclude prefix 192.168.0.0/24", e),
            e => Assert.Contains("spec.egress[1].toPorts[0].rules.http[0].path: \"/api/(v1\" is not a valid regular expression", e),
            e => Assert.Contains("spec.ingress[0].fromEntities[0]: \"internet\" is not an entity", e),
            e => Assert.Contains("spec.ingress[1]: combining fromEndpoints and fromCIDR is not supported", e));
    }

    [Fact]
    public void A_rule_needs_an_endpoint_selector()
    {
        var error = Reject("""
            spec:
              ingress:
                - {}
            """);

        Assert.Contains(error.Errors, e => e.StartsWith("spec.endpointSelector: is required", StringComparison.Ordinal));
    }

    [Fact]
    public void A_policy_needs_spec_or_specs()
    {
        var error = Reject("description: nothing");

        Assert.Contains(error.Errors, e => e.StartsWith("spec: the policy has neither spec nor specs", StringComparison.Ordinal));
    }

    [Fact]
    public void Selector_operators_and_values_are_validated()
    {
        var error = Reject("""
            spec:
              endpointSelector:
                matchExpressions:
                  - key: app
                    operator: Equals
                    values: [a]
                  - key: tier
                    operator: In
                  - key: canary
                    operator: Exists
                    values: ["true"]
            """);

        Assert.Equal(3, error.Errors.Count);
        Assert.Contains(error.Errors, e => e.Contains("matchExpressions[0].operator: \"Equals\" is not a selector operator; use one of In, NotIn, Exists, DoesNotExist", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Contains("matchExpressions[1].values: must be non-empty when operator is In", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Contains("matchExpressions[2].values: must be empty when operator is Exists", StringComparison.Ordinal));
    }

    [Fact]
    public void L7_rules_need_a_single_tcp_port()
    {
        var error = Reject("""
            spec:
              endpointSelector: {}
              ingress:
                - toPorts:
                    - ports:
                        - port: "8000"
                          endPort: 8080
                          protocol: TCP
                      rules:
                        http:
                          - method: GET
                    - ports:
                        - port: "53"
                          protocol: UDP
                      rules:
                        http:
                          - method: GET
            """);

        Assert.Contains(error.Errors, e => e.Contains("toPorts[0].ports: L7 rules cannot be used with a port range", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Contains("toPorts[1].ports: HTTP rules can only apply to TCP", StringComparison.Ordinal));
    }

    [Fact]
    public void Features_the_twin_does_not_simulate_are_rejected_by_name()
    {
        var error = Reject("""
            spec:
              endpointSelector: {}
              egress:
                - toServices:
                    - k8sService:
                        serviceName: httpbin
                - toPorts:
                    - ports:
                        - port: http
            """);

        Assert.Contains(error.Errors, e => e.Contains("toServices is not simulated by LabNet", StringComparison.Ordinal));
        Assert.Contains(error.Errors, e => e.Contains("named port \"http\" is not simulated by LabNet; use the port number", StringComparison.Ordinal));
    }

    [Fact]
    public void Wrong_kind_or_api_version_is_rejected()
    {
        var error = Assert.Throws<InvalidPolicyException>(() => _engine.Apply(YamlManifests.ParseOne("""
            apiVersion: cilium.io/v1
            kind: CiliumNetworkPolicy
            metadata:
              name: old
            spec:
              endpointSelector: {}
            """)));

        Assert.Contains("use cilium.io/v2 CiliumNetworkPolicy", Assert.Single(error.Errors));
    }

    [Fact]
    public void A_rejected_update_keeps_the_previous_version_in_force()
    {
        _engine.Apply(YamlManifests.ParseOne("""
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata:
              name: server
              namespace: demo
            spec:
              endpointSelector: {}
              ingress:
                - {}
            """));
        var revision = _engine.Revision;

        Assert.Throws<InvalidPolicyException>(() => _engine.Apply(YamlManifests.ParseOne("""
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata:
              name: server
              namespace: demo
            spec:
              endpointSelector: {}
              ingress:
                - toPorts:
                    - ports:
                        - port: "99999"
            """)));

        Assert.Equal(revision, _engine.Revision);
        var verdict = _engine.Decide(DemoLab.Nginx, DemoLab.Redis, IpProtocol.Tcp, 6379);
        VerdictAssert.Dropped(verdict, TrafficDirection.Ingress);
    }

    [Fact]
    public void A_batch_with_one_invalid_policy_applies_nothing_and_names_every_invalid_one()
    {
        var valid = YamlManifests.ParseOne("""
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata:
              name: fine
              namespace: demo
            spec:
              endpointSelector: {}
              ingress:
                - {}
            """);
        var invalid = YamlManifests.ParseOne("""
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata:
              name: bad-entity
              namespace: demo
            spec:
              endpointSelector: {}
              ingress:
                - fromEntities: [everyone]
            """);
        var alsoInvalid = YamlManifests.ParseOne("""
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata:
              name: bad-port
              namespace: demo
            spec:
              endpointSelector: {}
              egress:
                - toPorts:
                    - ports:
                        - port: "70000"
            """);

        var error = Assert.Throws<InvalidPolicyException>(() => _engine.ApplyAll([valid, invalid, alsoInvalid]));

        Assert.Equal(0UL, _engine.Revision);
        Assert.Empty(_engine.Policies);
        Assert.Equal(2, error.Errors.Count);
        Assert.StartsWith("CiliumNetworkPolicy demo/bad-entity: spec.ingress[0].fromEntities[0]", error.Errors[0]);
        Assert.StartsWith("CiliumNetworkPolicy demo/bad-port: spec.egress[0].toPorts[0].ports[0].port", error.Errors[1]);
    }

    [Fact]
    public void A_valid_batch_is_one_revision()
    {
        var policies = YamlManifests.LoadDirectory(DemoLab.ShippedPolicies);

        var applied = _engine.ApplyAll(policies);

        Assert.Equal(policies.Count, applied.Count);
        Assert.Equal(1UL, _engine.Revision);
        Assert.All(applied, p => Assert.Equal(1UL, p.Reference.Revision));
    }
}
