using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Tests.Kubernetes;

/// <summary>The admission seam other parts of the twin use like webhooks (Istio's sidecar injection).</summary>
[Collection(SimulatorServerCollection.Name)]
public sealed class AdmissionPluginTests(SimulatorServer server)
{
    /// <summary>Adds a container to pods created in namespaces labelled istio-injection=enabled.</summary>
    private sealed class SidecarInjector : IAdmissionPlugin
    {
        public void Admit(AdmissionRequest request)
        {
            if (request is not { Operation: "CREATE", Kind: "Pod", Namespace: { } ns })
            {
                return;
            }

            var labels = request.Cluster.Get("v1", "Namespace", null, ns)?["metadata"]?["labels"];
            if (labels?["istio-injection"]?.GetValue<string>() == "enabled")
            {
                request.Object["spec"]!["containers"]!.AsArray().Add(new JsonObject { ["name"] = "istio-proxy", ["image"] = "docker.io/istio/proxyv2:1.24.2", ["args"] = new JsonArray("proxy", "sidecar") });
            }
        }
    }

    private sealed class RejectLatest : IAdmissionPlugin
    {
        public void Admit(AdmissionRequest request)
        {
            if (request.Kind == "Deployment" && request.Object.ToJsonString().Contains(":latest", StringComparison.Ordinal))
            {
                throw new KubernetesApiException(400, "BadRequest", "admission webhook \"images.lab\" denied the request: images must be pinned");
            }
        }
    }

    [Fact]
    public async Task A_mutating_plugin_changes_pods_the_controllers_create()
    {
        var cluster = server.CreateCluster();
        using var injector = cluster.Api.AddAdmissionPlugin(new SidecarInjector());
        cluster.Kubectl.CopyManifests();

        Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "demo/")).ExitCode);

        var pods = await Eventually.WaitForAsync(
            () => cluster.Kubectl.RunAsync("get", "pods", "-n", "demo", "-l", "app=nginx-web"),
            r => Regex.Matches(r.Stdout, @"2/2\s+Running").Count == 3);
        Assert.Equal(3, Regex.Matches(pods.Stdout, @"2/2\s+Running").Count);
    }

    [Fact]
    public async Task A_plugin_can_reject_a_request_and_a_removed_plugin_no_longer_runs()
    {
        var cluster = server.CreateCluster();
        var registration = cluster.Api.AddAdmissionPlugin(new RejectLatest());
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("create", "namespace", "demo")).ExitCode);

        var rejected = await cluster.Kubectl.RunAsync("create", "deployment", "web", "-n", "demo", "--image=nginx:latest");
        registration.Dispose();
        var accepted = await cluster.Kubectl.RunAsync("create", "deployment", "web", "-n", "demo", "--image=nginx:latest");

        Assert.Equal(1, rejected.ExitCode);
        Assert.Equal("error: failed to create deployment: admission webhook \"images.lab\" denied the request: images must be pinned", rejected.Stderr.Trim());
        Assert.Equal(0, accepted.ExitCode);
    }
}
