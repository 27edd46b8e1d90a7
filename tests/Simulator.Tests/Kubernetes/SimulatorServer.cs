using System.Text.Json.Nodes;
using LabNet.Simulator.Kubernetes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;

namespace LabNet.Simulator.Tests.Kubernetes;

/// <summary>The real simulator (its Program) on a real Kestrel socket on 127.0.0.1, so the real kubectl can reach it.</summary>
public sealed class SimulatorServer : IAsyncLifetime
{
    // metrics-server scrapes every second here (15 s in the lab), so kubectl top has numbers within a test's patience.
    // The HPA tests sync their own controller with metrics they set: the twin's own sync (every 15 s) would race them.
    // Only warnings reach the console: a failed run prints the whole process's output.
    private readonly WebApplicationFactory<Program> _factory = new WebApplicationFactory<Program>()
        .WithWebHostBuilder(builder => builder
            .UseSetting("Simulator:Metrics:MetricResolution", "00:00:01")
            .UseSetting("Simulator:Autoscaling:SyncPeriod", "1.00:00:00")
            .UseSetting("Logging:LogLevel:Default", "Warning"));
    private int _clusters;

    public Uri BaseAddress { get; private set; } = null!;

    public IClusterApiRegistry Registry => _factory.Services.GetRequiredService<IClusterApiRegistry>();

    /// <summary>The simulator's services (its Cilium engines, Hubble...), to check what a kubectl command did to the twin.</summary>
    public IServiceProvider Services => _factory.Services;

    public ValueTask InitializeAsync()
    {
        _factory.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        _factory.StartServer();
        var addresses = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseAddress = new Uri(addresses.First());
        return ValueTask.CompletedTask;
    }

    /// <summary>A fresh cluster (as after kubeadm init + join) with a Ready control plane and two Ready workers.</summary>
    public TestCluster CreateCluster(bool withPodNetwork = true, bool nodesReady = true)
    {
        var name = $"c{Interlocked.Increment(ref _clusters)}";
        var api = Registry.Create(new ClusterBootstrap(name, "10.20.0.0/16", "10.96.0.0/12", "v1.31.14", $"{name}-master", "192.168.65.10"));
        var nodes = new[] { ($"{name}-master", "192.168.65.10", true), ($"{name}-worker1", "192.168.65.11", false), ($"{name}-worker2", "192.168.65.12", false) };
        var index = 0;
        foreach (var (node, ip, controlPlane) in nodes)
        {
            api.Apply(NodeObject(node, ip, controlPlane, nodesReady, $"10.20.{index++}.0/24"));
        }

        if (withPodNetwork)
        {
            api.PodNetwork = new SequentialPodNetwork();
        }

        return new TestCluster(api);
    }

    /// <summary>kube-dns as kubeadm creates it: what pods' resolv.conf names, selecting CoreDNS's pods.</summary>
    public static JsonObject KubeDnsService(string clusterIp) => new()
    {
        ["apiVersion"] = "v1",
        ["kind"] = "Service",
        ["metadata"] = new JsonObject { ["name"] = "kube-dns", ["namespace"] = "kube-system", ["labels"] = new JsonObject { ["k8s-app"] = "kube-dns" } },
        ["spec"] = new JsonObject
        {
            ["clusterIP"] = clusterIp,
            ["selector"] = new JsonObject { ["k8s-app"] = "kube-dns" },
            ["ports"] = new JsonArray(new JsonObject { ["name"] = "dns", ["port"] = 53, ["protocol"] = "UDP", ["targetPort"] = 53 }),
        },
    };

    public static JsonObject NodeObject(string name, string ip, bool controlPlane, bool ready, string podCidr)
    {
        var labels = new JsonObject
        {
            ["beta.kubernetes.io/arch"] = "arm64",
            ["beta.kubernetes.io/os"] = "linux",
            ["kubernetes.io/arch"] = "arm64",
            ["kubernetes.io/hostname"] = name,
            ["kubernetes.io/os"] = "linux",
        };
        var spec = new JsonObject { ["podCIDR"] = podCidr, ["podCIDRs"] = new JsonArray(podCidr) };
        if (controlPlane)
        {
            labels["node-role.kubernetes.io/control-plane"] = "";
            spec["taints"] = new JsonArray(new JsonObject { ["key"] = "node-role.kubernetes.io/control-plane", ["effect"] = "NoSchedule" });
        }

        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Node",
            ["metadata"] = new JsonObject { ["name"] = name, ["labels"] = labels },
            ["spec"] = spec,
            ["status"] = new JsonObject
            {
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Ready",
                    ["status"] = ready ? "True" : "False",
                    ["reason"] = ready ? "KubeletReady" : "KubeletNotReady",
                    ["message"] = ready ? "kubelet is posting ready status" : "container runtime network not ready: NetworkReady=false reason:NetworkPluginNotReady message:Network plugin returns error: cni plugin not initialized",
                }),
                ["addresses"] = new JsonArray(
                    new JsonObject { ["type"] = "InternalIP", ["address"] = ip },
                    new JsonObject { ["type"] = "Hostname", ["address"] = name }),
                ["nodeInfo"] = new JsonObject
                {
                    ["kubeletVersion"] = "v1.31.14",
                    ["osImage"] = "Ubuntu 24.04.1 LTS",
                    ["kernelVersion"] = "6.8.0-49-generic",
                    ["containerRuntimeVersion"] = "containerd://1.7.24",
                    ["architecture"] = "arm64",
                    ["operatingSystem"] = "linux",
                },
            },
        };
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();
}

/// <summary>A cluster under test and the kubectl pointed at it.</summary>
public sealed class TestCluster
{
    public TestCluster(IClusterApi api)
    {
        Api = api;
        Kubectl = Kubectl.ForServer(api.Server);
    }

    public IClusterApi Api { get; }

    public Kubectl Kubectl { get; }
}

/// <summary>Stands in for the CNI another component installs: hands out pod IPs in order from 10.20.1.0/24.</summary>
public sealed class SequentialPodNetwork : IPodNetwork
{
    private int _next = 10;

    public PodNetworkAttachment Attach(JsonObject pod, JsonObject node) =>
        PodNetworkAttachment.Attached($"10.20.1.{Interlocked.Increment(ref _next)}");

    public void Detach(JsonObject pod)
    {
    }
}

[CollectionDefinition(Name)]
public sealed class SimulatorServerCollection : ICollectionFixture<SimulatorServer>
{
    public const string Name = "Simulator on a real socket";
}
