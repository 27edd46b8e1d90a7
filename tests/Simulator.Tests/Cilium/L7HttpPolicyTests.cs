using LabNet.Simulator.Cilium.Engine;
using LabNet.Simulator.Cilium.Identity;
using LabNet.Simulator.Cilium.Policy;

namespace LabNet.Simulator.Tests.Cilium;

/// <summary>L7 HTTP rules: whole-string regexes, headers, the proxy in the path, and how L7 merges with L3/L4 rules.</summary>
public sealed class L7HttpPolicyTests
{
    private readonly CiliumPolicyEngine _engine = new(new CiliumPolicyEngineOptions { ClusterName = "dev" });

    private static readonly PodEndpoint Client = DemoLab.Pod("demo", "client", "10.20.1.1", ("app", "client"));
    private static readonly PodEndpoint Other = DemoLab.Pod("demo", "other", "10.20.1.3", ("app", "other"));
    private static readonly PodEndpoint Server = DemoLab.Pod("demo", "server", "10.20.1.2", ("app", "server"));

    private void ServerIngress(string ingress)
    {
        var yaml = $"""
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata:
              name: server-l7
              namespace: demo
            spec:
              endpointSelector:
                matchLabels:
                  app: server
              ingress:
            {string.Join('\n', ingress.Split('\n').Select(l => "    " + l))}
            """;
        _engine.Apply(YamlManifests.ParseOne(yaml));
    }

    private const string HttpFromClient = """
        - fromEndpoints:
            - matchLabels:
                app: client
          toPorts:
            - ports:
                - port: "80"
                  protocol: TCP
              rules:
                http:
        """;

    private bool Allows(PolicyEndpoint from, HttpRequestInfo request)
    {
        var verdict = _engine.Decide(from, Server, IpProtocol.Tcp, 80);
        VerdictAssert.Forwarded(verdict);
        return verdict.EvaluateHttp(request).IsAllowed;
    }

    [Theory]
    [InlineData("/get", true)]
    [InlineData("/get/", false)]
    [InlineData("/get/x", false)]
    [InlineData("/anything/get", false)]
    [InlineData("/get?show_env=1", false)]
    public void Path_regex_must_match_the_whole_path(string path, bool allowed)
    {
        ServerIngress(HttpFromClient + """

                      - method: GET
                        path: /get
            """);

        Assert.Equal(allowed, Allows(Client, new HttpRequestInfo("GET", path)));
    }

    [Theory]
    [InlineData("/status", false)]
    [InlineData("/status/200", true)]
    [InlineData("/status/503?x=1", true)]
    [InlineData("/v1/status/200", false)]
    public void Path_prefix_needs_an_explicit_wildcard(string path, bool allowed)
    {
        ServerIngress(HttpFromClient + """

                      - path: "/status/.*"
            """);

        Assert.Equal(allowed, Allows(Client, new HttpRequestInfo("GET", path)));
    }

    [Theory]
    [InlineData("GET", true)]
    [InlineData("HEAD", true)]
    [InlineData("GETX", false)]
    [InlineData("XGET", false)]
    [InlineData("get", false)]
    [InlineData("POST", false)]
    public void Method_regex_must_match_the_whole_method(string method, bool allowed)
    {
        ServerIngress(HttpFromClient + """

                      - method: "GET|HEAD"
            """);

        Assert.Equal(allowed, Allows(Client, new HttpRequestInfo(method, "/get")));
    }

    [Fact]
    public void A_request_is_allowed_when_any_one_http_rule_matches_all_its_fields()
    {
        ServerIngress(HttpFromClient + """

                      - method: GET
                        path: "/get"
                      - method: POST
                        path: "/post"
            """);

        Assert.True(Allows(Client, new HttpRequestInfo("GET", "/get")));
        Assert.True(Allows(Client, new HttpRequestInfo("POST", "/post")));
        Assert.False(Allows(Client, new HttpRequestInfo("POST", "/get")));
        Assert.False(Allows(Client, new HttpRequestInfo("GET", "/post")));
    }

    [Fact]
    public void Header_rules_require_the_header_and_its_value()
    {
        ServerIngress(HttpFromClient + """

                      - method: GET
                        headers:
                          - "X-Canary: true"
                          - "X-Request-Id"
            """);

        var headers = new Dictionary<string, string> { ["x-canary"] = "true", ["X-Request-Id"] = "abc" };
        Assert.True(Allows(Client, new HttpRequestInfo("GET", "/get", "httpbin", headers)));
        Assert.False(Allows(Client, new HttpRequestInfo("GET", "/get", "httpbin", new Dictionary<string, string> { ["x-canary"] = "false", ["X-Request-Id"] = "abc" })));
        Assert.False(Allows(Client, new HttpRequestInfo("GET", "/get", "httpbin", new Dictionary<string, string> { ["x-canary"] = "true" })));
    }

    [Fact]
    public void Header_matches_with_a_mismatch_action_do_not_deny()
    {
        ServerIngress(HttpFromClient + """

                      - headerMatches:
                          - name: x-token
                            value: secret
                            mismatch: LOG
                      - path: "/only-with-token"
                        headerMatches:
                          - name: x-token
                            value: secret
            """);

        Assert.True(Allows(Client, new HttpRequestInfo("GET", "/anything")));
    }

    [Fact]
    public void Host_regex_must_match_the_whole_authority()
    {
        ServerIngress(HttpFromClient + """

                      - host: "httpbin(\\.demo(\\.svc(\\.cluster\\.local)?)?)?"
            """);

        Assert.True(Allows(Client, new HttpRequestInfo("GET", "/get", "httpbin")));
        Assert.True(Allows(Client, new HttpRequestInfo("GET", "/get", "httpbin.demo.svc.cluster.local")));
        Assert.False(Allows(Client, new HttpRequestInfo("GET", "/get", "httpbin.evil.com")));
    }

    [Fact]
    public void An_L7_rule_puts_the_proxy_in_the_path_and_denied_requests_get_403_while_the_connection_is_forwarded()
    {
        ServerIngress(HttpFromClient + """

                      - method: GET
            """);

        var verdict = _engine.Decide(Client, Server, IpProtocol.Tcp, 80);
        VerdictAssert.Forwarded(verdict);
        Assert.True(verdict.L7ProxyInPath);
        Assert.NotNull(verdict.Ingress!.Proxy);
        Assert.Null(verdict.Egress.Proxy);

        var denied = verdict.EvaluateHttp(new HttpRequestInfo("DELETE", "/anything"));
        Assert.Equal(FlowVerdict.Dropped, denied.Verdict);
        Assert.Equal(TrafficDirection.Ingress, denied.Direction);
        Assert.Equal(HttpVerdict.AccessDeniedStatusCode, denied.ProxyStatusCode);
        Assert.Equal("server-l7", Assert.Single(denied.DeniedBy!.Policies).Name);
    }

    [Fact]
    public void Without_L7_rules_no_proxy_is_in_the_path()
    {
        ServerIngress("""
            - fromEndpoints:
                - matchLabels:
                    app: client
              toPorts:
                - ports:
                    - port: "80"
                      protocol: TCP
            """);

        var verdict = _engine.Decide(Client, Server, IpProtocol.Tcp, 80);
        Assert.False(verdict.L7ProxyInPath);
        var http = verdict.EvaluateHttp(new HttpRequestInfo("POST", "/post"));
        Assert.True(http.IsAllowed);
        Assert.False(http.ProxyInPath);
    }

    [Fact]
    public void An_L4_allow_for_the_same_peer_and_port_lifts_the_L7_restriction_but_keeps_the_proxy()
    {
        ServerIngress(HttpFromClient + """

                      - method: GET
            - fromEndpoints:
                - matchLabels:
                    app: client
              toPorts:
                - ports:
                    - port: "80"
                      protocol: TCP
            """);

        var verdict = _engine.Decide(Client, Server, IpProtocol.Tcp, 80);
        Assert.True(verdict.L7ProxyInPath);
        Assert.True(verdict.EvaluateHttp(new HttpRequestInfo("POST", "/post")).IsAllowed);
    }

    [Fact]
    public void An_L3_only_peer_goes_through_the_proxy_of_an_L7_port_with_everything_allowed()
    {
        ServerIngress(HttpFromClient + """

                      - method: GET
            - fromEndpoints:
                - matchLabels:
                    app: other
            """);

        // Other is seen first: the L7 filter on port 80 must exist before any identity matches its selector.
        var other = _engine.Decide(Other, Server, IpProtocol.Tcp, 80);
        Assert.True(other.L7ProxyInPath);
        Assert.True(other.EvaluateHttp(new HttpRequestInfo("POST", "/post")).IsAllowed);

        var client = _engine.Decide(Client, Server, IpProtocol.Tcp, 80);
        Assert.False(client.EvaluateHttp(new HttpRequestInfo("POST", "/post")).IsAllowed);

        // Other ports of the L3-only peer are plain L4.
        Assert.False(_engine.Decide(Other, Server, IpProtocol.Tcp, 8080).L7ProxyInPath);
    }

    [Fact]
    public void An_L4_only_rule_on_the_L7_port_opens_it_to_every_peer_and_every_method()
    {
        ServerIngress(HttpFromClient + """

                      - method: GET
            - toPorts:
                - ports:
                    - port: "80"
                      protocol: TCP
            """);

        Assert.True(Allows(Other, new HttpRequestInfo("DELETE", "/x")));
        Assert.True(Allows(Client, new HttpRequestInfo("DELETE", "/x")));
    }

    [Fact]
    public void Evaluating_http_on_a_dropped_connection_is_a_caller_error()
    {
        ServerIngress("- {}");
        var verdict = _engine.Decide(Client, Server, IpProtocol.Tcp, 80);
        Assert.Throws<InvalidOperationException>(() => verdict.EvaluateHttp(new HttpRequestInfo("GET", "/")));
    }

    [Fact]
    public void Dns_rules_put_the_dns_proxy_on_port_53_and_filter_names()
    {
        var kubeDns = DemoLab.KubeDns;
        _engine.Apply(YamlManifests.ParseOne("""
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata:
              name: dns-visibility
              namespace: demo
            spec:
              endpointSelector: {}
              egress:
                - toEndpoints:
                    - matchLabels:
                        k8s:io.kubernetes.pod.namespace: kube-system
                        k8s-app: kube-dns
                  toPorts:
                    - ports:
                        - port: "53"
                          protocol: ANY
                      rules:
                        dns:
                          - matchPattern: "*.demo.svc.cluster.local"
                          - matchName: "example.com"
            """));

        var verdict = _engine.Decide(Client, kubeDns, IpProtocol.Udp, 53);
        VerdictAssert.Forwarded(verdict);
        var proxy = Assert.IsType<L7Policy>(verdict.Egress.Proxy);
        Assert.Equal(L7Parser.Dns, proxy.Parser);
        Assert.True(proxy.AllowsDns("httpbin.demo.svc.cluster.local"));
        Assert.True(proxy.AllowsDns("example.com."));
        Assert.False(proxy.AllowsDns("redis.other.svc.cluster.local"));
        Assert.False(proxy.AllowsDns("a.b.demo.svc.cluster.local"));
    }
}
