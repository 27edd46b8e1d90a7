using LabNet.Simulator.Mesh;

namespace LabNet.Simulator.Tests.Pods;

/// <summary><c>kubectl run</c> (the kubelet runs the pod's command), <c>kubectl logs</c> and <c>kubectl run --rm -i</c> with the real kubectl.</summary>
[Collection(PodLabCollection.Name)]
public sealed class KubectlRunAndLogsTests(PodLab lab)
{
    [Fact]
    public async Task A_run_never_pod_ends_Failed_with_its_exit_code_and_its_output_in_the_log()
    {
        var cluster = lab.CreateCluster();

        var run = await cluster.Kubectl.RunAsync("run", "once", "--image=busybox", "--restart=Never", "--", "sh", "-c", "echo hello $$; echo oops >&2; exit 2");
        var phase = await Kubernetes.Eventually.WaitForAsync(
            async () => (await cluster.Kubectl.RunAsync("get", "pod", "once", "-o", "jsonpath={.status.phase} {.status.containerStatuses[0].state.terminated.exitCode} {.status.containerStatuses[0].state.terminated.reason}")).Stdout,
            s => s.StartsWith("Failed", StringComparison.Ordinal));
        var logs = await cluster.Kubectl.RunAsync("logs", "once");

        Assert.Equal("pod/once created\n", run.Stdout);
        Assert.Equal("Failed 2 Error", phase);
        // The pod's command is the container's main process: PID 1.
        Assert.Equal("hello 1\noops\n", logs.Stdout);
    }

    [Fact]
    public async Task A_run_never_pod_whose_command_succeeds_ends_Succeeded()
    {
        var cluster = lab.CreateCluster();

        await cluster.Kubectl.RunAsync("run", "ok", "--image=busybox", "--restart=Never", "--", "echo", "done");
        var phase = await Kubernetes.Eventually.WaitForAsync(
            async () => (await cluster.Kubectl.RunAsync("get", "pod", "ok", "-o", "jsonpath={.status.phase}")).Stdout,
            s => s == "Succeeded");
        var logs = await cluster.Kubectl.RunAsync("logs", "ok", "--timestamps");

        Assert.Equal("Succeeded", phase);
        Assert.Matches(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z done\n$", logs.Stdout);
    }

    [Fact]
    public async Task Args_of_an_entrypoint_image_are_its_subcommand_so_keycloak_start_dev_keeps_running()
    {
        var cluster = lab.CreateCluster();

        // The demo's keycloak Deployment gives only args: ["start-dev"], which kc.sh (the image's entrypoint) runs.
        await cluster.Kubectl.RunAsync("run", "kc", "--image=quay.io/keycloak/keycloak:26.1", "--", "start-dev");
        var state = await Kubernetes.Eventually.WaitForAsync(
            async () => (await cluster.Kubectl.RunAsync("get", "pod", "kc", "-o", "jsonpath={.status.phase} {.status.containerStatuses[0].ready} {.status.containerStatuses[0].restartCount}")).Stdout,
            s => s.StartsWith("Running true", StringComparison.Ordinal));
        await Task.Delay(TimeSpan.FromSeconds(1));
        var later = await cluster.Kubectl.RunAsync("get", "pod", "kc", "-o", "jsonpath={.status.phase} {.status.containerStatuses[0].restartCount}");

        Assert.Equal("Running true 0", state);
        Assert.Equal("Running 0", later.Stdout);
    }

    [Fact]
    public async Task Logs_of_a_server_show_its_start_up_and_unknown_containers_are_refused()
    {
        var cluster = lab.CreateCluster();
        await cluster.Kubectl.RunAsync("run", "web", "--image=nginx:alpine");
        await Kubernetes.Eventually.WaitForAsync(
            async () => (await cluster.Kubectl.RunAsync("get", "pod", "web", "-o", "jsonpath={.status.phase}")).Stdout, s => s == "Running");

        var logs = await Kubernetes.Eventually.WaitForAsync(() => cluster.Kubectl.RunAsync("logs", "web", "--tail=2"), r => r.Stdout.Length > 0);
        var wrong = await cluster.Kubectl.RunAsync("logs", "web", "-c", "sidecar");

        Assert.Matches(@"^\d{4}/\d\d/\d\d \d\d:\d\d:\d\d \[notice\] 1#1: start worker processes\n.* start worker process \d+\n$", logs.Stdout);
        Assert.Equal(1, wrong.ExitCode);
        Assert.Equal("error: container sidecar is not valid for pod web\n", wrong.Stderr);
    }

    [Fact]
    public async Task Run_rm_interactive_curl_prints_the_body_deletes_the_pod_and_exits_zero()
    {
        var cluster = lab.CreateCluster();
        lab.Http.Answer("http://httpbin.demo/headers", ScriptedHttp.Ok("{\"headers\": {}}\n"));

        var result = await cluster.Kubectl.RunAsync("run", "probe", "--rm", "-i", "--restart=Never", "--image=curlimages/curl", "--", "curl", "-s", "http://httpbin.demo/headers");
        var left = await cluster.Kubectl.RunAsync("get", "pod", "probe", "--ignore-not-found");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("{\"headers\": {}}\npod \"probe\" deleted\n", result.Stdout);
        Assert.Equal("", left.Stdout);
    }

    [Fact]
    public async Task The_seeds_mtls_check_prints_curls_reset_error_and_deletes_the_pod()
    {
        var cluster = lab.CreateCluster();
        lab.Http.Answer("http://httpbin.demo/get", ScriptedHttp.Failed(PodHttpOutcome.ConnectionReset, TimeSpan.FromMilliseconds(5)));

        // The seed's command as typed: the pod is restartPolicy Always (kubectl run's default), so kubectl does not wait
        // for an exit code: it shows what curl printed while attached, deletes the pod and exits 0.
        var result = await cluster.Kubectl.RunAsync("run", "test", "--rm", "-it", "--image=curlimages/curl", "--", "curl", "http://httpbin.demo/get");
        var left = await cluster.Kubectl.RunAsync("get", "pod", "test", "--ignore-not-found");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Equal("curl: (56) Recv failure: Connection reset by peer\r\npod \"test\" deleted\n", result.Stdout);
        Assert.Equal("Unable to use a TTY - input is not a terminal or the right kind of file\nIf you don't see a command prompt, try pressing enter.\n", result.Stderr);
        Assert.Equal("", left.Stdout);
    }

    [Fact]
    public async Task Logs_of_a_crash_looping_cilium_agent_end_with_the_reason_it_exited()
    {
        var cluster = lab.CreateCluster();
        cluster.Api.Apply(System.Text.Json.Nodes.JsonNode.Parse($$$$"""
            {"apiVersion":"v1","kind":"Pod","metadata":{"name":"cilium-abcde","namespace":"kube-system","labels":{"k8s-app":"cilium"}},
             "spec":{"nodeName":"{{{{cluster.Api.Bootstrap.Name}}}}-worker1","hostNetwork":true,"containers":[{"name":"cilium-agent","image":"quay.io/cilium/cilium:v1.16.5"}]},
             "status":{"phase":"Running","containerStatuses":[{"name":"cilium-agent","image":"quay.io/cilium/cilium:v1.16.5","ready":false,"restartCount":5,
               "state":{"waiting":{"reason":"CrashLoopBackOff"}},
               "lastState":{"terminated":{"exitCode":1,"reason":"Error","message":"dial tcp 10.96.0.1:443: i/o timeout"}}}]}}
            """)!.AsObject());

        var logs = await Kubernetes.Eventually.WaitForAsync(() => cluster.Kubectl.RunAsync("logs", "cilium-abcde", "-n", "kube-system"), r => r.ExitCode == 0);

        Assert.True(logs.ExitCode == 0, logs.ToString());
        Assert.Matches("level=fatal msg=\"Unable to contact k8s api-server\" error=\"dial tcp 10.96.0.1:443: i/o timeout\" subsys=daemon\n$", logs.Stdout);
    }
}
