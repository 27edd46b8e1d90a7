using LabNet.Simulator.Mesh;
using LabNet.Simulator.Tests.Kubernetes;

namespace LabNet.Simulator.Tests.Pods;

/// <summary><c>kubectl exec</c> with the real kubectl: the WebSocket channel protocol, exit codes, and the programs inside pods.</summary>
[Collection(PodLabCollection.Name)]
public sealed class KubectlExecTests(PodLab lab)
{
    private const string NginxDeployment = """
        apiVersion: v1
        kind: Namespace
        metadata:
          name: demo
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: nginx-web
          namespace: demo
        spec:
          replicas: 1
          selector:
            matchLabels:
              app: nginx-web
          template:
            metadata:
              labels:
                app: nginx-web
            spec:
              containers:
              - name: nginx
                image: nginx:alpine
                ports:
                - containerPort: 80
        """;

    private static async Task<TestCluster> WithNginxAsync(PodLab lab, string version = "v1.31.14")
    {
        var cluster = lab.CreateCluster(version: version);
        cluster.Kubectl.WriteFile("nginx.yaml", NginxDeployment);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "nginx.yaml")).ExitCode);
        var status = await cluster.Kubectl.RunAsync("rollout", "status", "deployment/nginx-web", "-n", "demo", "--timeout=20s");
        Assert.True(status.ExitCode == 0, status.ToString());
        return cluster;
    }

    [Fact]
    public async Task Curl_in_the_nginx_deployment_prints_the_body_the_data_plane_returned()
    {
        var cluster = await WithNginxAsync(lab);
        lab.Http.Answer("http://httpbin/get", ScriptedHttp.Ok("{\n  \"version\": \"v2\"\n}\n"));

        var result = await cluster.Kubectl.RunAsync("exec", "deploy/nginx-web", "-n", "demo", "-c", "nginx", "--", "curl", "-s", "http://httpbin/get");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("{\n  \"version\": \"v2\"\n}\n", result.Stdout);
        Assert.Contains(lab.Http.Requests, r => r.Cluster == cluster.Api.Bootstrap.Name && r.Namespace == "demo" && r.Pod.StartsWith("nginx-web-", StringComparison.Ordinal) && r.Method == "GET");
    }

    // The kubectl on PATH dispatches to the client matching the server's minor version: both speak v5.channel.k8s.io.
    [Theory]
    [InlineData("v1.31.14")]
    [InlineData("v1.32.4")]
    public async Task A_non_zero_exit_code_is_propagated_by_kubectl(string serverVersion)
    {
        var cluster = await WithNginxAsync(lab, serverVersion);

        var result = await cluster.Kubectl.RunAsync("exec", "deploy/nginx-web", "-n", "demo", "--", "sh", "-c", "echo out; echo err >&2; exit 3");

        Assert.Equal(3, result.ExitCode);
        Assert.Equal("out\n", result.Stdout);
        Assert.Equal("err\ncommand terminated with exit code 3\n", result.Stderr);
    }

    [Fact]
    public async Task A_shell_in_a_container_is_the_labs_one_shell_as_an_execd_process()
    {
        var cluster = await WithNginxAsync(lab);

        var result = await cluster.Kubectl.RunAsync("exec", "deploy/nginx-web", "-n", "demo", "--", "sh", "-c",
            "set -e; echo $$; cd /tmp && echo hi > f && cat f; nosuch; echo never");

        Assert.Equal(127, result.ExitCode);
        Assert.Equal("7\nhi\n", result.Stdout);
        Assert.Equal("sh: nosuch: not found\ncommand terminated with exit code 127\n", result.Stderr);
    }

    [Fact]
    public async Task Cilium_status_through_the_daemonset_reports_a_healthy_agent_with_the_nodes_numbers()
    {
        var cluster = lab.CreateCluster();
        cluster.Kubectl.WriteFile("cilium.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: cilium-config
              namespace: kube-system
            data:
              kube-proxy-replacement: "true"
              enable-hubble: "true"
              routing-mode: tunnel
              tunnel-protocol: vxlan
            ---
            apiVersion: apps/v1
            kind: DaemonSet
            metadata:
              name: cilium
              namespace: kube-system
            spec:
              selector:
                matchLabels:
                  k8s-app: cilium
              updateStrategy:
                type: RollingUpdate
              template:
                metadata:
                  labels:
                    k8s-app: cilium
                spec:
                  hostNetwork: true
                  tolerations:
                  - operator: Exists
                  containers:
                  - name: cilium-agent
                    image: quay.io/cilium/cilium:v1.16.5
            """);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "cilium.yaml")).ExitCode);
        var rollout = await cluster.Kubectl.RunAsync("rollout", "status", "ds/cilium", "-n", "kube-system", "--timeout=20s");
        Assert.True(rollout.ExitCode == 0, rollout.ToString());

        var status = await cluster.Kubectl.RunAsync("exec", "-n", "kube-system", "ds/cilium", "--", "cilium", "status");
        var brief = await cluster.Kubectl.RunAsync("exec", "-n", "kube-system", "ds/cilium", "--", "cilium-dbg", "status", "--brief");

        Assert.True(status.ExitCode == 0, status.ToString());
        Assert.Matches(@"(?m)^KubeProxyReplacement:\s+True\s+\[eth0\s+192\.168\.65\.1\d ", status.Stdout);
        Assert.Matches(@"(?m)^IPAM:\s+IPv4: \d+/254 allocated from 10\.20\.\d\.0/24, $", status.Stdout);
        Assert.Matches(@"(?m)^Controller Status:\s+(\d+)/\1 healthy$", status.Stdout);
        Assert.Matches(@"(?m)^Cluster health:\s+3/3 reachable ", status.Stdout);
        Assert.Matches(@"(?m)^Hubble:\s+Ok\s+Current/Max Flows: \d+/\d+ ", status.Stdout);
        Assert.Equal("OK\n", brief.Stdout);
    }

    [Fact]
    public async Task A_program_the_image_does_not_have_fails_as_containerd_reports_it()
    {
        var cluster = await WithNginxAsync(lab);

        var result = await cluster.Kubectl.RunAsync("exec", "deploy/nginx-web", "-n", "demo", "--", "cilium", "status");

        Assert.Equal(1, result.ExitCode);
        Assert.Matches("^error: Internal error occurred: error executing command in container: failed to exec in container: failed to start exec \"[0-9a-f]{64}\": OCI runtime exec failed: exec failed: unable to start container process: exec: \"cilium\": executable file not found in \\$PATH: unknown\n$", result.Stderr);
    }

    [Fact]
    public async Task Exec_into_an_unknown_pod_or_container_gives_the_api_servers_errors()
    {
        var cluster = await WithNginxAsync(lab);

        var noPod = await cluster.Kubectl.RunAsync("exec", "nosuch", "-n", "demo", "--", "true");
        var noContainer = await cluster.Kubectl.RunAsync("exec", "deploy/nginx-web", "-n", "demo", "-c", "sidecar", "--", "true");

        Assert.Equal(1, noPod.ExitCode);
        Assert.Equal("Error from server (NotFound): pods \"nosuch\" not found\n", noPod.Stderr);
        Assert.Equal(1, noContainer.ExitCode);
        Assert.Matches("^Error from server \\(BadRequest\\): container sidecar is not valid for pod nginx-web-", noContainer.Stderr);
    }

    [Fact]
    public async Task Pods_resolve_through_kube_dns_with_their_namespace_search_path()
    {
        var cluster = await WithNginxAsync(lab);
        lab.Dns.Add("httpbin", "httpbin.demo.svc.cluster.local", "10.96.20.30");

        var resolv = await cluster.Kubectl.RunAsync("exec", "deploy/nginx-web", "-n", "demo", "--", "cat", "/etc/resolv.conf");
        var found = await cluster.Kubectl.RunAsync("exec", "deploy/nginx-web", "-n", "demo", "--", "nslookup", "httpbin");
        var missing = await cluster.Kubectl.RunAsync("exec", "deploy/nginx-web", "-n", "demo", "--", "nslookup", "nosuch");

        Assert.Equal("search demo.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n", resolv.Stdout);
        Assert.Equal("Server:\t\t10.96.0.10\nAddress:\t10.96.0.10:53\n\nName:\thttpbin.demo.svc.cluster.local\nAddress: 10.96.20.30\n\n", found.Stdout);
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("** server can't find nosuch: NXDOMAIN", missing.Stdout);
    }

    [Fact]
    public async Task Curl_errors_and_write_out_are_printed_as_curl_prints_them()
    {
        var cluster = await WithNginxAsync(lab);
        lab.Http.Answer("http://httpbin.demo/status/503", ScriptedHttp.Ok("", 503, "Service Unavailable"));
        lab.Http.Answer("http://redis.demo:6379/", ScriptedHttp.Failed(PodHttpOutcome.TimedOut, TimeSpan.FromSeconds(5)));
        lab.Http.Answer("http://httpbin.demo/get", ScriptedHttp.Failed(PodHttpOutcome.ConnectionReset, TimeSpan.FromMilliseconds(4)));

        var fail = await cluster.Kubectl.RunAsync("exec", "deploy/nginx-web", "-n", "demo", "--", "curl", "-sSf", "http://httpbin.demo/status/503");
        var code = await cluster.Kubectl.RunAsync("exec", "deploy/nginx-web", "-n", "demo", "--", "curl", "-s", "-o", "/dev/null", "-w", "%{http_code}\\n", "http://httpbin.demo/status/503");
        var timeout = await cluster.Kubectl.RunAsync("exec", "deploy/nginx-web", "-n", "demo", "--", "curl", "-sS", "-m", "5", "http://redis.demo:6379/");
        var reset = await cluster.Kubectl.RunAsync("exec", "deploy/nginx-web", "-n", "demo", "--", "curl", "-sS", "http://httpbin.demo/get");
        var unresolved = await cluster.Kubectl.RunAsync("exec", "deploy/nginx-web", "-n", "demo", "--", "curl", "-sS", "http://nosuch/");

        Assert.Equal(22, fail.ExitCode);
        Assert.StartsWith("curl: (22) The requested URL returned error: 503\n", fail.Stderr);
        Assert.Equal("503\n", code.Stdout);
        Assert.Equal(28, timeout.ExitCode);
        Assert.StartsWith("curl: (28) Failed to connect to redis.demo port 6379 after 5000 ms: Timeout was reached\n", timeout.Stderr);
        Assert.Equal(56, reset.ExitCode);
        Assert.StartsWith("curl: (56) Recv failure: Connection reset by peer\n", reset.Stderr);
        Assert.Equal(6, unresolved.ExitCode);
        Assert.StartsWith("curl: (6) Could not resolve host: nosuch\n", unresolved.Stderr);
    }

    [Fact]
    public async Task Exec_into_a_pod_whose_sandbox_is_not_ready_fails_at_the_kubelet()
    {
        var cluster = lab.CreateCluster();
        cluster.Api.PodNetwork = LabNet.Simulator.Kubernetes.NoCniPodNetwork.Instance;
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("run", "waiting", "--image=nginx:alpine")).ExitCode);

        var result = await cluster.Kubectl.RunAsync("exec", "waiting", "--", "true");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("error: unable to upgrade connection: container not found (\"waiting\")\n", result.Stderr);
    }

    [Fact]
    public async Task Curl_without_silent_draws_its_progress_meter_on_stderr_when_stdout_is_not_a_terminal()
    {
        var cluster = await WithNginxAsync(lab);
        lab.Http.Answer("http://httpbin/ip", ScriptedHttp.Ok("{\"origin\": \"10.20.1.11\"}\n"));

        var result = await cluster.Kubectl.RunAsync("exec", "deploy/nginx-web", "-n", "demo", "--", "curl", "http://httpbin/ip");

        Assert.Equal("{\"origin\": \"10.20.1.11\"}\n", result.Stdout);
        Assert.StartsWith(
            "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n" +
            "                                 Dload  Upload   Total   Spent    Left  Speed\n" +
            "\r  0     0    0     0    0     0      0      0 --:--:-- --:--:-- --:--:--     0\r100    25  100    25    0     0   2083      0 --:--:-- --:--:-- --:--:--  2083\n",
            result.Stderr);
    }

    [Fact]
    public async Task A_canary_count_runs_entirely_inside_the_pod_with_the_shells_text_tools()
    {
        var cluster = await WithNginxAsync(lab);
        var v1 = ScriptedHttp.Ok("{\n  \"version\": \"v1\"\n}\n");
        var v2 = ScriptedHttp.Ok("{\n  \"version\": \"v2\"\n}\n");
        lab.Http.AnswerInTurn("http://httpbin/anything", v1, v1, v1, v1, v2);

        var result = await cluster.Kubectl.RunAsync("exec", "deploy/nginx-web", "-n", "demo", "-c", "nginx", "--", "sh", "-c",
            "for i in $(seq 1 10); do curl -s http://httpbin/anything | grep -o '\"version\": \"[^\"]*\"'; done | sort | uniq -c");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("      8 \"version\": \"v1\"\n      2 \"version\": \"v2\"\n", result.Stdout);
    }
}
