using System.Text.Json.Nodes;

namespace LabNet.Simulator.Tests.Pods;

/// <summary>Istio's sidecar injection with the real kubectl: labelled namespace + rollout restart, opt-out, pods created before the label.</summary>
[Collection(PodLabCollection.Name)]
public sealed class SidecarInjectionTests(PodLab lab)
{
    private const string Workloads = """
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
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: redis
          namespace: demo
        spec:
          replicas: 1
          selector:
            matchLabels:
              app: redis
          template:
            metadata:
              labels:
                app: redis
              annotations:
                sidecar.istio.io/inject: "false"
            spec:
              containers:
              - name: redis
                image: redis:7-alpine
        """;

    private static void InstallIstiod(Kubernetes.TestCluster cluster)
    {
        cluster.Api.Apply(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Namespace",
            ["metadata"] = new JsonObject { ["name"] = "istio-system" },
        });
        cluster.Api.Apply(JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"istiod","namespace":"istio-system"},
             "spec":{"replicas":1,"selector":{"matchLabels":{"app":"istiod"}},
                     "template":{"metadata":{"labels":{"app":"istiod"}},"spec":{"containers":[{"name":"discovery","image":"docker.io/istio/pilot:1.24.2"}]}}}}
            """)!.AsObject());
        cluster.Api.Apply(JsonNode.Parse("""
            {"apiVersion":"admissionregistration.k8s.io/v1","kind":"MutatingWebhookConfiguration","metadata":{"name":"istio-sidecar-injector"},
             "webhooks":[{"name":"namespace.sidecar-injector.istio.io","clientConfig":{"service":{"name":"istiod","namespace":"istio-system","path":"/inject","port":443}},
                          "namespaceSelector":{"matchLabels":{"istio-injection":"enabled"}},"admissionReviewVersions":["v1"],"sideEffects":"None","failurePolicy":"Fail"}]}
            """)!.AsObject());
    }

    private static async Task<string[]> ContainerNamesAsync(Kubernetes.TestCluster cluster, string selector) =>
        (await cluster.Kubectl.RunAsync("get", "pods", "-n", "demo", "-l", selector, "-o", "jsonpath={.items[*].spec.containers[*].name}")).Stdout
            .Split(' ', StringSplitOptions.RemoveEmptyEntries);

    [Fact]
    public async Task Labelling_the_namespace_and_restarting_gives_new_pods_the_sidecar_and_opt_outs_keep_none()
    {
        var cluster = lab.CreateCluster();
        InstallIstiod(cluster);
        cluster.Kubectl.WriteFile("demo.yaml", Workloads);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "demo.yaml")).ExitCode);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("rollout", "status", "deployment/nginx-web", "-n", "demo", "--timeout=20s")).ExitCode);

        Assert.Equal(0, (await cluster.Kubectl.RunAsync("label", "namespace", "demo", "istio-injection=enabled")).ExitCode);
        var beforeRestart = await ContainerNamesAsync(cluster, "app=nginx-web");
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("rollout", "restart", "deployment", "-n", "demo")).ExitCode);
        var rolled = await cluster.Kubectl.RunAsync("rollout", "status", "deployment/nginx-web", "-n", "demo", "--timeout=20s");
        Assert.True(rolled.ExitCode == 0, rolled + (await cluster.Kubectl.RunAsync("get", "pods,rs,events", "-n", "demo")).ToString());
        var nginx = await Kubernetes.Eventually.WaitForAsync(() => ContainerNamesAsync(cluster, "app=nginx-web"), names => names.SequenceEqual(["nginx", "istio-proxy"]));
        var redis = await ContainerNamesAsync(cluster, "app=redis");
        var seedCheck = await cluster.Kubectl.RunAsync("get", "pods", "-n", "demo", "-o", "jsonpath={.items[*].spec.containers[*].name}");
        var ready = await Kubernetes.Eventually.WaitForAsync(() => cluster.Kubectl.RunAsync("get", "pods", "-n", "demo", "-l", "app=nginx-web", "--no-headers"), r => r.Stdout.Contains("2/2", StringComparison.Ordinal));
        var pod = JsonNode.Parse((await cluster.Kubectl.RunAsync("get", "pods", "-n", "demo", "-l", "app=nginx-web", "-o", "json")).Stdout)!["items"]![0]!;

        Assert.Equal(["nginx"], beforeRestart);
        Assert.Equal(["nginx", "istio-proxy"], nginx);
        Assert.Equal(["redis"], redis);
        Assert.Equal(["istio-proxy", "nginx", "redis"], seedCheck.Stdout.Split(' ').Distinct().Order());
        Assert.Matches(@"^nginx-web-\S+\s+2/2\s+Running\s+0", ready.Stdout);
        Assert.Equal("docker.io/istio/proxyv2:1.24.2", pod["spec"]!["containers"]![1]!["image"]!.GetValue<string>());
        Assert.Equal("istio-init", pod["spec"]!["initContainers"]![0]!["name"]!.GetValue<string>());
        Assert.Equal(15021, pod["spec"]!["containers"]![1]!["readinessProbe"]!["httpGet"]!["port"]!.GetValue<int>());
        Assert.Equal("nginx", pod["metadata"]!["annotations"]!["kubectl.kubernetes.io/default-container"]!.GetValue<string>());
        Assert.Contains("\"containers\":[\"istio-proxy\"]", pod["metadata"]!["annotations"]!["sidecar.istio.io/status"]!.GetValue<string>());
    }

    [Fact]
    public async Task Without_istiod_or_the_namespace_label_pods_get_no_sidecar()
    {
        var cluster = lab.CreateCluster();
        cluster.Kubectl.WriteFile("demo.yaml", Workloads);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "demo.yaml")).ExitCode);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("label", "namespace", "demo", "istio-injection=enabled")).ExitCode);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("run", "before", "-n", "demo", "--image=nginx:alpine")).ExitCode);
        InstallIstiod(cluster);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("label", "namespace", "demo", "istio-injection-")).ExitCode);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("run", "unlabelled", "-n", "demo", "--image=nginx:alpine")).ExitCode);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("run", "asked", "-n", "demo", "--image=nginx:alpine", "--labels=sidecar.istio.io/inject=true")).ExitCode);

        Assert.Equal(["before"], await ContainerNamesAsync(cluster, "run=before"));
        Assert.Equal(["unlabelled"], await ContainerNamesAsync(cluster, "run=unlabelled"));
        Assert.Equal(["asked", "istio-proxy"], await ContainerNamesAsync(cluster, "sidecar.istio.io/inject=true"));
    }

    [Fact]
    public async Task In_a_labelled_namespace_the_opt_out_label_and_host_network_pods_get_no_sidecar()
    {
        var cluster = lab.CreateCluster();
        InstallIstiod(cluster);
        cluster.Kubectl.WriteFile("demo.yaml", Workloads);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "demo.yaml")).ExitCode);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("label", "namespace", "demo", "istio-injection=enabled")).ExitCode);

        Assert.Equal(0, (await cluster.Kubectl.RunAsync("run", "plain", "-n", "demo", "--image=nginx:alpine")).ExitCode);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("run", "optout", "-n", "demo", "--image=nginx:alpine", "--labels=sidecar.istio.io/inject=false")).ExitCode);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("run", "hostnet", "-n", "demo", "--image=nginx:alpine", "--overrides={\"spec\":{\"hostNetwork\":true}}")).ExitCode);
        var logs = await Kubernetes.Eventually.WaitForAsync(() => cluster.Kubectl.RunAsync("logs", "plain", "-n", "demo", "-c", "istio-proxy"), r => r.Stdout.Contains("Envoy proxy is ready", StringComparison.Ordinal));

        Assert.Equal(["plain", "istio-proxy"], await ContainerNamesAsync(cluster, "run=plain"));
        Assert.Equal(["optout"], await ContainerNamesAsync(cluster, "sidecar.istio.io/inject=false"));
        Assert.Equal(["hostnet"], await ContainerNamesAsync(cluster, "run=hostnet"));
        Assert.Contains("Envoy proxy is ready", logs.Stdout);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("logs", "plain", "-n", "demo", "-c", "istio-init")).ExitCode);
    }
}
