using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Tests.Kubernetes.Autoscaling;

/// <summary>
/// The HPA controller's algorithm against a real Deployment in the twin, with the resource metrics it reads set by
/// the test: desired = ceil(pods x utilization / target) outside the 0.1 tolerance, the behavior's stabilization
/// windows and policies, min/max, and the status and TARGETS column the real kubectl prints.
/// </summary>
[Collection(SimulatorServerCollection.Name)]
public sealed class HorizontalPodAutoscalerTests(SimulatorServer server)
{
    private static readonly string Demo = TestWorkloads.Httpbin(version: "v1") + "\n---\n" + TestWorkloads.HttpbinAutoscaler(behavior: """
          behavior:
            scaleUp:
              stabilizationWindowSeconds: 30
            scaleDown:
              stabilizationWindowSeconds: 120
        """);

    private async Task<(TestCluster Cluster, HorizontalPodAutoscalerController Controller, FixedPodMetrics Metrics)> DemoAsync()
    {
        var cluster = server.CreateCluster();
        cluster.Kubectl.WriteFile("demo.yaml", Demo);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "demo.yaml")).ExitCode);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("rollout", "status", "deployment/httpbin", "--timeout=20s")).ExitCode);
        var metrics = new FixedPodMetrics();
        return (cluster, new HorizontalPodAutoscalerController((ClusterApi)cluster.Api, metrics), metrics);
    }

    private static int Replicas(TestCluster cluster) => ObjectFacts.Int(cluster.Api.Get("apps/v1", "Deployment", "default", "httpbin")!["spec"]!["replicas"]);

    private static JsonObject Status(TestCluster cluster) => cluster.Api.Get("autoscaling/v2", "HorizontalPodAutoscaler", "default", "httpbin-hpa")!["status"]!.AsObject();

    private static string? Condition(JsonObject status, string type) =>
        status["conditions"]!.AsArray().OfType<JsonObject>().Where(c => c["type"]!.GetValue<string>() == type)
            .Select(c => $"{c["status"]} {c["reason"]}").SingleOrDefault();

    [Fact]
    public async Task Above_target_it_scales_to_the_ceiling_of_pods_times_utilization_over_target()
    {
        var (cluster, controller, metrics) = await DemoAsync();
        metrics.Millicores = 62; // 124% of the 50m request, target 50%: ceil(2 x 124 / 50) = 5

        controller.Sync(metrics.Now);

        Assert.Equal(5, Replicas(cluster));
        var status = Status(cluster);
        Assert.Equal(2, ObjectFacts.Int(status["currentReplicas"]));
        Assert.Equal(5, ObjectFacts.Int(status["desiredReplicas"]));
        Assert.Equal(124, ObjectFacts.Int(status["currentMetrics"]![0]!["resource"]!["current"]!["averageUtilization"]));
        Assert.Equal("62m", status["currentMetrics"]![0]!["resource"]!["current"]!["averageValue"]!.GetValue<string>());
        Assert.Equal("True SucceededRescale", Condition(status, "AbleToScale"));
        Assert.Equal("True ValidMetricFound", Condition(status, "ScalingActive"));
        Assert.Equal("False DesiredWithinRange", Condition(status, "ScalingLimited"));
        var get = await cluster.Kubectl.RunAsync("get", "hpa");
        Assert.Matches(@"^NAME\s+REFERENCE\s+TARGETS\s+MINPODS\s+MAXPODS\s+REPLICAS\s+AGE\nhttpbin-hpa\s+Deployment/httpbin\s+cpu: 124%/50%\s+2\s+6\s+2\s+\d+s\n$", get.Stdout);
        var events = await cluster.Kubectl.RunAsync("get", "events", "--field-selector", "reason=SuccessfulRescale", "-o", "jsonpath={.items[*].message}");
        Assert.Equal("New size: 5; reason: cpu resource utilization (percentage of request) above target", events.Stdout);
    }

    [Fact]
    public async Task Within_the_tolerance_it_keeps_the_replicas()
    {
        var (cluster, controller, metrics) = await DemoAsync();
        metrics.Millicores = 27; // 54%: ratio 1.08, within 0.1

        controller.Sync(metrics.Now);

        Assert.Equal(2, Replicas(cluster));
        Assert.Equal("True ReadyForNewScale", Condition(Status(cluster), "AbleToScale"));
    }

    [Fact]
    public async Task The_max_replicas_caps_the_scale_up_and_says_so()
    {
        var (cluster, controller, metrics) = await DemoAsync();
        metrics.Millicores = 200; // 400%: 8 pods wanted, max 6

        controller.Sync(metrics.Now);

        Assert.Equal(6, Replicas(cluster));
        Assert.Equal("True TooManyReplicas", Condition(Status(cluster), "ScalingLimited"));
    }

    [Fact]
    public async Task Scale_down_waits_for_the_stabilization_window_then_goes_to_the_highest_recent_recommendation()
    {
        var (cluster, controller, metrics) = await DemoAsync();
        metrics.Millicores = 62;
        controller.Sync(metrics.Now);
        Assert.Equal(5, Replicas(cluster));
        await Eventually.WaitForAsync(() => cluster.Kubectl.RunAsync("rollout", "status", "deployment/httpbin", "--timeout=20s"), r => r.ExitCode == 0);

        metrics.Millicores = 10; // 20%: ceil(5 x 20 / 50) = 2
        metrics.Now = metrics.Now.AddSeconds(60);
        controller.Sync(metrics.Now);
        var during = Replicas(cluster);
        var duringCondition = Condition(Status(cluster), "AbleToScale");
        metrics.Now = metrics.Now.AddSeconds(121);
        controller.Sync(metrics.Now);

        Assert.Equal(5, during);
        Assert.Equal("True ScaleDownStabilized", duringCondition);
        Assert.Equal(2, Replicas(cluster));
    }

    [Fact]
    public async Task Without_the_metrics_api_the_targets_are_unknown_and_scaling_is_not_active()
    {
        var (cluster, controller, metrics) = await DemoAsync();
        metrics.Error = "the server could not find the requested resource (get pods.metrics.k8s.io)";

        controller.Sync(metrics.Now);

        Assert.Equal(2, Replicas(cluster));
        var status = Status(cluster);
        Assert.Equal("False FailedGetResourceMetric", Condition(status, "ScalingActive"));
        Assert.Equal(
            "the HPA was unable to compute the replica count: failed to get cpu utilization: unable to get metrics for resource cpu: unable to fetch metrics from resource metrics API: the server could not find the requested resource (get pods.metrics.k8s.io)",
            status["conditions"]!.AsArray().OfType<JsonObject>().Single(c => c["type"]!.GetValue<string>() == "ScalingActive")["message"]!.GetValue<string>());
        var get = await cluster.Kubectl.RunAsync("get", "hpa");
        Assert.Matches(new Regex(@"httpbin-hpa\s+Deployment/httpbin\s+cpu: <unknown>/50%\s+2\s+6\s+2\s"), get.Stdout);
    }
}
