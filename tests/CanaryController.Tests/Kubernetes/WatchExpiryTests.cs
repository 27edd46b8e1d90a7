extern alias Simulator;

using System.Text.Json.Nodes;
using LabNet.CanaryController.Kubernetes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Simulator::LabNet.Simulator.Kubernetes;

namespace LabNet.CanaryController.Tests.Kubernetes;

public sealed class WatchExpiryTests
{
    [Fact]
    public async Task Watch_from_a_resource_version_the_server_no_longer_holds_is_recognised_as_expired()
    {
        await using var factory = new WebApplicationFactory<Simulator::Program>();
        factory.UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        factory.StartServer();
        _ = factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var api = factory.Services.GetRequiredService<IClusterApiRegistry>().Create(new ClusterBootstrap("expiry", "10.20.0.0/16", "10.96.0.0/12", "v1.31.14", "expiry-master", "192.168.65.10"));
        api.Apply(SimulatorApiServer.Load("Manifests/canary-crd.yaml"));
        // The store keeps the last 10,000 changes (KubernetesApi:WatchHistory is not wired to it yet): make more.
        const int history = 10_000;
        for (var i = 0; i < history + 50; i++)
        {
            api.Apply(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = new JsonObject { ["name"] = "filler", ["namespace"] = "default" }, ["data"] = new JsonObject { ["i"] = $"{i}" } });
        }

        var directory = Directory.CreateTempSubdirectory("labnet-canary-").FullName;
        var kubeconfig = Path.Combine(directory, "dev.yaml");
        await File.WriteAllTextAsync(kubeconfig, CanaryTestBed.Kubeconfig(api.Server));
        using var client = new k8s.Kubernetes(k8s.KubernetesClientConfiguration.BuildConfigFromConfigFile(kubeconfig));
        var cluster = new CanaryCluster(client, TimeProvider.System, NullLogger.Instance);
        var errors = new List<Exception>();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));

        var failure = await Record.ExceptionAsync(async () =>
        {
            await foreach (var _ in cluster.WatchCanariesAsync(null, "1", errors.Add, CancellationToken.None).WithCancellation(timeout.Token))
            {
            }
        });

        var expired = Assert.Single(errors.Concat(failure is null ? [] : [failure]));
        Assert.True(KubernetesErrors.IsExpired(expired), KubernetesErrors.Describe(expired));
        var (_, listVersion) = await cluster.ListCanariesAsync(null, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.True(long.Parse(listVersion, System.Globalization.CultureInfo.InvariantCulture) > history + 50, "listing again gives a current resourceVersion to watch from");
    }
}
