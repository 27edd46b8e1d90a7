extern alias Simulator;

using System.Text.Json.Nodes;
using LabNet.Yaml;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Simulator::LabNet.Simulator.Kubernetes;

namespace LabNet.CanaryController.Tests.Kubernetes;

/// <summary>
/// The real simulator (its Program, so its real Kubernetes API) on a Kestrel socket on 127.0.0.1, with the Canary CRD
/// and Istio's VirtualService/DestinationRule CRDs registered per cluster, and the seed's httpbin objects applied.
/// </summary>
public sealed class SimulatorApiServer : IAsyncLifetime
{
    private readonly WebApplicationFactory<Simulator::Program> factory = new();
    private int clusters;

    public IClusterApiRegistry Registry => factory.Services.GetRequiredService<IClusterApiRegistry>();

    public ValueTask InitializeAsync()
    {
        factory.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        factory.StartServer();
        _ = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return ValueTask.CompletedTask;
    }

    /// <summary>A new cluster with the CRDs, namespace demo, and the seed's VirtualService and DestinationRule.</summary>
    public IClusterApi CreateCluster()
    {
        var name = $"canary{Interlocked.Increment(ref clusters)}";
        var api = Registry.Create(new ClusterBootstrap(name, "10.20.0.0/16", "10.96.0.0/12", "v1.31.14", $"{name}-master", "192.168.65.10"));
        api.Apply(Load("Manifests/canary-crd.yaml"));
        api.Apply(Load("Kubernetes/TestData/istio-virtualservice-crd.yaml"));
        api.Apply(Load("Kubernetes/TestData/istio-destinationrule-crd.yaml"));
        api.Apply(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "demo" } });
        api.Apply(Load("Manifests/virtual-service.yaml"));
        api.Apply(Load("Manifests/destination-rule.yaml"));
        return api;
    }

    public static JsonObject Load(string relativePath) => YamlToJson.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, relativePath)))!.AsObject();

    public async ValueTask DisposeAsync() => await factory.DisposeAsync();
}

[CollectionDefinition(Name)]
public sealed class SimulatorApiServerCollection : ICollectionFixture<SimulatorApiServer>
{
    public const string Name = "Simulator Kubernetes API";
}
