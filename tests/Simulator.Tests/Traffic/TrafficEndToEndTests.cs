using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Google.Protobuf.WellKnownTypes;
using Grpc.Net.Client;
using LabNet.Hubble.FlowApi;
using LabNet.Hubble.ObserverApi;
using LabNet.Simulator.Helm;
using LabNet.Simulator.Helm.Charts;
using LabNet.Simulator.Cilium.Identity;
using LabNet.Simulator.Hubble;
using LabNet.Simulator.Kubernetes;
using LabNet.Simulator.Tests.Cilium;
using LabNet.Simulator.Tests.Kubernetes;
using LabNet.Simulator.Traffic;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using LabNet.Simulator.Workloads;

namespace LabNet.Simulator.Tests.Traffic;

/// <summary>The whole path in the running simulator: cluster API pods -> generator -> Cilium -> Hubble -> relay over gRPC.</summary>
public sealed class TrafficEndToEndTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static JsonObject Pod(PodEndpoint pod) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Pod",
        ["metadata"] = new JsonObject
        {
            ["namespace"] = pod.Namespace,
            ["name"] = pod.Name,
            ["labels"] = new JsonObject(pod.Labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)JsonValue.Create(l.Value)))),
        },
        ["spec"] = new JsonObject { ["nodeName"] = "dev-worker1", ["containers"] = new JsonArray(new JsonObject { ["name"] = "app", ["image"] = "kong/httpbin" }) },
        ["status"] = new JsonObject { ["phase"] = "Running", ["podIP"] = pod.PodIp!.ToString() },
    };

    private static JsonObject HttpbinService() => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Service",
        ["metadata"] = new JsonObject { ["namespace"] = "demo", ["name"] = "httpbin" },
        ["spec"] = new JsonObject { ["selector"] = new JsonObject { ["app"] = "httpbin" }, ["ports"] = new JsonArray(new JsonObject { ["port"] = 80 }) },
    };

    [Fact]
    public async Task A_versions_error_rate_set_over_http_shows_as_503_in_the_relays_flows()
    {
        var services = factory.Services;
        using var client = factory.CreateClient();
        using var put = await client.PutAsJsonAsync("/traffic", new TrafficSettings { Rates = new() { [TrafficScenarios.NginxToHttpbin] = 200 } }).WaitAsync(Timeout);
        put.EnsureSuccessStatusCode();
        var api = services.GetRequiredService<IClusterApiRegistry>().Create(new ClusterBootstrap("dev", "10.20.0.0/16", "10.97.0.0/16", "v1.31.14", "dev-master", "192.168.65.3"));
        api.Apply(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "demo" } });

        // What installing Cilium and applying manifests/network-policies leaves in the API.
        foreach (var crd in CiliumChart.Crds)
        {
            api.Apply(CustomResourceDefinitions.Build(crd));
        }

        foreach (var policy in YamlManifests.LoadDirectory(DemoLab.ShippedPolicies))
        {
            api.Apply(policy);
        }

        foreach (var pod in new[] { DemoLab.Nginx, DemoLab.HttpbinV1, DemoLab.HttpbinV2 })
        {
            api.Apply(Pod(pod));
        }

        api.Apply(HttpbinService());
        // What Cilium's chart renders with hubble.relay.enabled: the cluster's relay follows it.
        var relayLabels = WorkloadObjects.Labels(("k8s-app", HubbleRelays.RelayName));
        api.Apply(WorkloadObjects.Deployment(HubbleRelays.RelayName, "kube-system", relayLabels, 1, WorkloadObjects.PodTemplate(relayLabels, HubbleRelays.RelayName, "quay.io/cilium/hubble-relay:v1.16.5")));
        var relay = await Eventually.WaitForAsync(() => Task.FromResult(services.GetRequiredService<HubbleRelays>().AddressOf("dev")), a => a is not null)
            ?? throw new Xunit.Sdk.XunitException("The dev relay did not start.");
        using var channel = GrpcChannel.ForAddress(relay);
        var observer = new Observer.ObserverClient(channel);
        var responses = new GetFlowsRequest { Follow = true };
        responses.Whitelist.Add(new FlowFilter { SourcePod = { "demo/httpbin-v2" }, HttpStatusCode = { "2+", "5+" } });

        using (var call = observer.GetFlows(responses, cancellationToken: new CancellationTokenSource(Timeout).Token))
        {
            Assert.True(await call.ResponseStream.MoveNext(CancellationToken.None));
            Assert.Equal(200u, call.ResponseStream.Current.Flow.L7.Http.Code);
        }

        var versions = new Dictionary<string, VersionBehaviour> { ["v1"] = new(0, 8, 40), ["v2"] = new(1.0, 10, 60) };
        using var change = await client.PutAsJsonAsync("/traffic", new TrafficSettings { Rates = new() { [TrafficScenarios.NginxToHttpbin] = 200 }, Versions = versions }).WaitAsync(Timeout);
        change.EnsureSuccessStatusCode();

        // Flows recorded from one second after the change on: every v2 answer is a 503.
        responses.Since = Timestamp.FromDateTimeOffset(DateTimeOffset.UtcNow.AddSeconds(1));
        using var after = observer.GetFlows(responses, cancellationToken: new CancellationTokenSource(Timeout).Token);
        var codes = new List<uint>();
        while (codes.Count < 10 && await after.ResponseStream.MoveNext(CancellationToken.None))
        {
            codes.Add(after.ResponseStream.Current.Flow.L7.Http.Code);
        }

        Assert.Equal(Enumerable.Repeat(503u, 10), codes);
    }
}
