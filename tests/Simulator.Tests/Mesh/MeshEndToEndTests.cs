using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LabNet.Simulator.Cilium.Identity;
using LabNet.Simulator.Helm;
using LabNet.Simulator.Helm.Charts;
using LabNet.Simulator.Kubernetes;
using LabNet.Simulator.Mesh;
using LabNet.Simulator.Tests.Cilium;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LabNet.Simulator.Tests.Mesh;

/// <summary>
/// The repo's manifests applied to an in-process cluster of the running simulator: findings over HTTP, curl from pods
/// through kube-dns, sidecars, Cilium and the server's PeerAuthentication.
/// </summary>
public sealed class MeshEndToEndTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Original_manifests_report_the_seam_and_fail_curl_while_the_shipped_ones_serve_both_versions()
    {
        var services = factory.Services;
        using var http = factory.CreateClient();

        // No generated traffic: nginx's sidecar would otherwise eject the failing hosts before curl asks (as it would in the lab).
        using var quiet = await http.PutAsJsonAsync("/traffic", new LabNet.Simulator.Traffic.TrafficSettings { Rates = [] }).WaitAsync(Timeout);
        quiet.EnsureSuccessStatusCode();
        var api = services.GetRequiredService<IClusterApiRegistry>().Create(new ClusterBootstrap("dev", "10.20.0.0/16", "10.97.0.0/16", "v1.31.14", "dev-master", "192.168.65.3"));
        foreach (var crd in CiliumChart.Crds.Concat(IstioBaseChart.Crds))
        {
            api.Apply(CustomResourceDefinitions.Build(crd));
        }

        api.Apply(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "demo" } });
        api.Apply(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "istio-system" } });
        api.Apply(Pod(DemoLab.Istiod, "docker.io/istio/pilot:1.24.2", sidecar: false));
        api.Apply(Pod(DemoLab.Nginx, "nginx:alpine", sidecar: true));
        api.Apply(Pod(DemoLab.HttpbinV1, "kong/httpbin:latest", sidecar: true));
        api.Apply(Pod(DemoLab.HttpbinV2, "kong/httpbin:latest", sidecar: true));
        api.Apply(Pod(DemoLab.Unlabeled, "curlimages/curl", sidecar: false));
        api.Apply(YamlManifests.ParseOne("""
            apiVersion: v1
            kind: Service
            metadata: {name: httpbin, namespace: demo}
            spec:
              selector: {app: httpbin}
              ports: [{name: http, port: 80, targetPort: 80}]
            """));
        foreach (var obj in YamlManifests.LoadDirectory(DemoLab.OriginalPolicies).Concat(YamlManifests.LoadDirectory(MeshLab.OriginalIstio)))
        {
            api.Apply(obj);
        }

        var findings = await Poll(async () => await http.GetFromJsonAsync<JsonArray>("/mesh/findings?cluster=dev"), f => f is { Count: > 0 });
        var finding = Assert.Single(findings!)!;
        Assert.Equal("demo/httpbin", finding["service"]!.GetValue<string>());
        Assert.Contains("portLevelMtls 80: DISABLE", finding["fix"]!.GetValue<string>(), StringComparison.Ordinal);

        var curl = services.GetRequiredService<IPodHttpClient>();
        var fromNginx = curl.Send(Get(DemoLab.Nginx, "http://httpbin/get"));
        Assert.Equal((PodHttpOutcome.Response, 503, EnvoyReplies.TlsWrongVersion), (fromNginx.Outcome, fromNginx.StatusCode, fromNginx.Body));
        var bare = curl.Send(Get(DemoLab.Unlabeled, "http://httpbin.demo/get") with { MaxTime = TimeSpan.FromSeconds(5) });
        Assert.Equal((PodHttpOutcome.TimedOut, TimeSpan.FromSeconds(5)), (bare.Outcome, bare.Elapsed));
        Assert.Equal(PodHttpOutcome.CouldNotResolveHost, curl.Send(Get(DemoLab.Nginx, "http://nosuch/get")).Outcome);

        foreach (var obj in YamlManifests.LoadDirectory(DemoLab.ShippedPolicies).Concat(YamlManifests.LoadDirectory(MeshLab.ShippedIstio)))
        {
            api.Apply(obj);
        }

        await Poll(async () => await http.GetFromJsonAsync<JsonArray>("/mesh/findings?cluster=dev"), f => f is { Count: 0 });

        // The failed attempts above may have ejected hosts from nginx's sidecar for 30 s; a restarted pod starts clean.
        var restarted = DemoLab.Pod("demo", "nginx-web-7d4b9c8f6-fresh", "10.20.1.11", DemoLab.Nginx.Labels.Select(l => (l.Key, l.Value)).ToArray());
        api.Delete("v1", "Pod", "demo", DemoLab.Nginx.Name);
        api.Apply(Pod(restarted, "nginx:alpine", sidecar: true));
        var versions = await Poll(
            () => Task.FromResult(Enumerable.Range(0, 40).Select(_ => curl.Send(Get(restarted, "http://httpbin.demo.svc.cluster.local/get"))).ToList()),
            r => r.All(x => x.StatusCode == 200));
        Assert.All(versions, r => Assert.Equal((200, ""), (r.StatusCode, r.StatusCode == 200 ? "" : r.Body)));
        Assert.Equal(["v1", "v2"], versions.Select(r => JsonNode.Parse(r.Body)!["version"]!.GetValue<string>()).Distinct().Order());
        Assert.All(versions, r => Assert.Contains(r.Headers, h => h.Key == "server" && h.Value == "envoy"));
    }

    private static PodHttpRequest Get(PodEndpoint pod, string url) => new("dev", pod.Namespace, pod.Name, "GET", url, []);

    private static async Task<T> Poll<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var deadline = DateTime.UtcNow + Timeout;
        while (true)
        {
            var value = await read().WaitAsync(Timeout);
            if (done(value) || DateTime.UtcNow > deadline)
            {
                return value;
            }

            await Task.Delay(100);
        }
    }

    private static JsonObject Pod(PodEndpoint pod, string image, bool sidecar)
    {
        var containers = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = image, ["ports"] = new JsonArray(new JsonObject { ["name"] = "http", ["containerPort"] = 80 }) });
        if (sidecar)
        {
            containers.Add(new JsonObject { ["name"] = "istio-proxy", ["image"] = "docker.io/istio/proxyv2:1.24.2", ["args"] = new JsonArray("proxy", "sidecar") });
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["namespace"] = pod.Namespace,
                ["name"] = pod.Name,
                ["labels"] = new JsonObject(pod.Labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)JsonValue.Create(l.Value)))),
            },
            ["spec"] = new JsonObject { ["nodeName"] = "dev-worker1", ["containers"] = containers },
            ["status"] = new JsonObject { ["phase"] = "Running", ["podIP"] = pod.PodIp!.ToString() },
        };
    }
}
