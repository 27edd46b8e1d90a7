extern alias FlowCollectorService;
extern alias Simulator;

using System.Text.Json;
using System.Text.Json.Nodes;
using FlowCollectorService::LabNet.FlowCollector.Flows;
using FlowCollectorService::LabNet.FlowCollector.Traffic;
using k8s;
using LabNet.Canary;
using LabNet.CanaryController.Controller;
using LabNet.CanaryController.Kubernetes;
using LabNet.CanaryController.Resources;
using LabNet.CanaryController.Rollout;
using LabNet.CanaryController.Serialization;
using LabNet.CanaryController.Telemetry;
using LabNet.CanaryController.Traffic;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Simulator::LabNet.Simulator.Kubernetes;

namespace LabNet.CanaryController.Tests.Kubernetes;

/// <summary>
/// One simulated cluster with the seed's httpbin VirtualService/DestinationRule, a FlowCollector traffic summary
/// endpoint (the FlowCollector's own recorder and endpoint, fed with response flows), a fake clock, and the adapter
/// pointed at both through a kubeconfig file, as in production.
/// </summary>
internal sealed class CanaryTestBed : IAsyncDisposable
{
    public const string Namespace = "demo";
    public const string CanaryName = "httpbin";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private readonly WebApplication flowCollector;
    private readonly Random latencyRandom = new(42);
    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private double canaryCarry;

    private CanaryTestBed(IClusterApi api, string kubeconfigPath, FakeTimeProvider time, TrafficRecorder recorder, WebApplication flowCollector)
    {
        Api = api;
        KubeconfigPath = kubeconfigPath;
        Time = time;
        Recorder = recorder;
        this.flowCollector = flowCollector;
        FlowCollectorAddress = new Uri(flowCollector.Urls.First());
        Client = new k8s.Kubernetes(KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfigPath));
        Cluster = new CanaryCluster(Client, time, NullLogger.Instance);
        Reconciler = NewReconciler();
    }

    public IClusterApi Api { get; }

    public string KubeconfigPath { get; }

    public FakeTimeProvider Time { get; }

    public TrafficRecorder Recorder { get; }

    public Uri FlowCollectorAddress { get; }

    public IKubernetes Client { get; }

    public CanaryCluster Cluster { get; }

    public CanaryReconciler Reconciler { get; private set; }

    public static async Task<CanaryTestBed> StartAsync(SimulatorApiServer server)
    {
        var api = server.CreateCluster();
        var directory = Directory.CreateTempSubdirectory("labnet-canary-").FullName;
        var kubeconfig = Path.Combine(directory, "dev.yaml");
        await File.WriteAllTextAsync(kubeconfig, Kubeconfig(api.Server));

        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));
        var recorder = new TrafficRecorder(time);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddSingleton(recorder);
        var app = builder.Build();
        app.MapTrafficSummary();
        await app.StartAsync().WaitAsync(Timeout);
        return new CanaryTestBed(api, kubeconfig, time, recorder, app);
    }

    public static string Kubeconfig(Uri server) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - cluster:
            server: {server}
          name: lab
        contexts:
        - context:
            cluster: lab
            user: admin
          name: admin@lab
        current-context: admin@lab
        users:
        - name: admin
          user:
            token: labnet-test
        """;

    /// <summary>A controller as after a process start: nothing in memory, only what the cluster holds.</summary>
    public CanaryReconciler NewReconciler(ILogger<CanaryReconciler>? logger = null)
    {
        var options = Options.Create(new CanaryControllerOptions { Kubeconfig = KubeconfigPath, FlowCollector = FlowCollectorAddress });
        var flowCollectorClient = new FlowCollectorClient(new Traffic.SingleHttpClientFactory(FlowCollectorAddress), Time, options, NullLogger<FlowCollectorClient>.Instance);
        Reconciler = new CanaryReconciler(new CanaryStateMachine(Time), new CanaryDecisionTelemetry(services.GetRequiredService<IMeterFactory>()), flowCollectorClient, Time, logger ?? NullLogger<CanaryReconciler>.Instance);
        return Reconciler;
    }

    /// <summary>Creates the seed's httpbin Canary (first step sized for a 5-point effect, so a ramp takes a minute of traffic).</summary>
    public JsonObject ApplyCanary(Action<JsonObject>? edit = null)
    {
        var canary = SimulatorApiServer.Load("Manifests/httpbin-canary.yaml");
        canary["spec"]!["test"]!["minimumDetectableEffectPercent"] = 5;
        edit?.Invoke(canary);
        return Api.Apply(canary);
    }

    /// <summary>Ticks through the header probe on 50 requests/s until the canary has its first weighted step.</summary>
    public async Task UntilProgressingAsync()
    {
        for (var tick = 0; tick < 40 && Status.Phase != CanaryPhase.Progressing; tick++)
        {
            Traffic(seconds: 5, requestsPerSecond: 50);
            await TickAsync();
        }

        Assert.Equal(CanaryPhase.Progressing, Status.Phase);
    }

    public Task<TimeSpan?> TickAsync() => Reconciler.ReconcileAsync(Cluster, Namespace, CanaryName, CancellationToken.None).WaitAsync(Timeout);

    public JsonObject VirtualService => Api.Get("networking.istio.io/v1beta1", "VirtualService", Namespace, "httpbin-routing")!;

    public JsonObject DestinationRule => Api.Get("networking.istio.io/v1beta1", "DestinationRule", Namespace, "httpbin-destination")!;

    public JsonObject Canary => Api.Get("labnet.io/v1alpha1", "Canary", Namespace, CanaryName)!;

    public CanaryStatus Status => Canary["status"]!.Deserialize<CanaryStatus>(CanaryJson.Options)!;

    public IReadOnlyList<JsonObject> Events => Api.List("v1", "Event", Namespace);

    /// <summary>Weights of the route named canary-split (stable v1, canary v2).</summary>
    public (int Stable, int Canary) Weights()
    {
        var route = VirtualService["spec"]!["http"]!.AsArray().Single(r => r!["name"]!.GetValue<string>() == "canary-split")!["route"]!.AsArray();
        int WeightOf(string subset) => int.Parse(route.Single(d => d!["destination"]!["subset"]?.GetValue<string>() == subset)!["weight"]!.ToJsonString(), System.Globalization.CultureInfo.InvariantCulture);
        return (WeightOf("v1"), WeightOf("v2"));
    }

    /// <summary>
    /// <paramref name="seconds"/> of traffic, split as the VirtualService says at each second (what the sidecars would
    /// do), plus header-routed requests (<c>x-canary: true</c>, as Hubble shows the header) that all reach v2. The clock
    /// moves first, so each second's requests fall inside the next summary window.
    /// </summary>
    public void Traffic(int seconds, int requestsPerSecond, int headerRequestsPerSecond = 10, double canaryErrorRate = 0)
    {
        var canaryErrorCarry = 0.0;
        for (var s = 0; s < seconds; s++)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            var (_, canaryWeight) = Weights();
            canaryCarry += requestsPerSecond * canaryWeight / 100.0;
            var canary = (int)Math.Floor(canaryCarry);
            canaryCarry -= canary;
            for (var i = 0; i < requestsPerSecond - canary; i++)
            {
                Recorder.Record(Response("v1", 200));
            }

            for (var i = 0; i < canary + headerRequestsPerSecond; i++)
            {
                canaryErrorCarry += canaryErrorRate;
                var error = canaryErrorCarry >= 1;
                canaryErrorCarry -= error ? 1 : 0;
                Recorder.Record(Response("v2", error ? 503 : 200, probe: i >= canary ? "true" : ""));
            }
        }
    }

    private FlowRecord Response(string version, int code, string probe = "")
    {
        var flow = new FlowRecord { Verdict = 1, FlowType = 2, L7 = L7Protocol.HTTP, L7Type = 2, HttpCode = code, HttpMethod = "GET", LatencyNs = 2_000_000 + latencyRandom.Next(8_000_000), ProbeHeaderValue = probe };
        flow.Source.Namespace = Namespace;
        flow.Source.App = "httpbin";
        flow.Source.Version = version;
        flow.Destination.Namespace = Namespace;
        flow.Destination.App = "nginx-web";
        return flow;
    }

    /// <summary>The FlowCollector process stops: its port refuses connections.</summary>
    public Task StopFlowCollectorAsync() => flowCollector.StopAsync().WaitAsync(Timeout);

    /// <summary>Writes the command annotation as the dashboard's POST does.</summary>
    public Task CommandAsync(string value) =>
        Cluster.AnnotateCanaryAsync(Namespace, CanaryName, CanaryCommandAnnotation.Key, value, CancellationToken.None).WaitAsync(Timeout);

    /// <summary>Edits the VirtualService as a person with kubectl would (a full replace).</summary>
    public void EditVirtualService(Action<JsonObject> edit)
    {
        var virtualService = VirtualService;
        edit(virtualService);
        Api.Apply(virtualService);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        Reconciler.Dispose();
        await services.DisposeAsync();
        await flowCollector.DisposeAsync();
    }
}
