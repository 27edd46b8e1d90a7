extern alias Simulator;

using LabNet.Canary;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LabNet.CanaryController.Controller;
using LabNet.CanaryController.Resources;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace LabNet.CanaryController.Tests.Kubernetes;

/// <summary>The whole CanaryController service (its Program: worker, watch, HTTP API) against the simulator's API.</summary>
[Collection(SimulatorApiServerCollection.Name)]
public sealed class ControllerServiceTests(SimulatorApiServer server)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Watch_picks_up_a_new_canary_and_the_dashboard_pause_command_is_applied_once()
    {
        await using var bed = await CanaryTestBed.StartAsync(server);
        await using var service = Service(bed.KubeconfigPath, bed.FlowCollectorAddress);
        using var http = service.CreateClient();
        await Eventually.ValueAsync(() => service.Services.GetService(typeof(LabNet.CanaryController.Kubernetes.KubernetesClientSource)) is LabNet.CanaryController.Kubernetes.KubernetesClientSource { Current: not null }, ok => ok, "the service to read the kubeconfig");

        bed.ApplyCanary();
        await Eventually.ValueAsync(() => bed.Canary["status"]?["phase"]?.GetValue<string>(), phase => phase == "HeaderProbe", "the watch to see the Canary and the first tick");

        using var response = await http.PostAsync("/api/canaries/demo/httpbin/pause", null).WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<CommandAccepted>().WaitAsync(Timeout);
        Assert.Equal(CanaryCommandAnnotation.Key, accepted!.Annotation);

        var status = await Eventually.ValueAsync(() => bed.Status, s => s.Phase == CanaryPhase.Paused, "the pause command to be applied");
        Assert.Equal(accepted.Value, status.LastCommand);
        Assert.Equal(CanaryPhase.HeaderProbe, status.PausedFrom);
        // The event is written after the status: wait for it rather than race it.
        await Eventually.ValueAsync(() => bed.Events.Count(e => e["reason"]!.GetValue<string>() == DecisionReasons.ManualPause), n => n > 0, "the pause event");
        Assert.Single(bed.Events, e => e["reason"]!.GetValue<string>() == DecisionReasons.ManualPause);

        using var list = await http.GetAsync(CanaryApi.CanariesPath).WaitAsync(Timeout);
        var canaries = JsonNode.Parse(await list.Content.ReadAsStringAsync())!.AsArray();
        var httpbin = Assert.Single(canaries)!;
        Assert.Equal("Paused", httpbin["phase"]!.GetValue<string>());
        Assert.Equal(100, httpbin["stableWeight"]!.GetValue<int>());
        Assert.Null(httpbin["pendingCommand"]);

        // What the dashboard reads, with the contract's types: the commands the state machine takes while paused.
        var summary = Assert.Single((await http.GetFromJsonAsync<List<CanarySummary>>(CanaryApi.CanariesPath, CanaryApi.Json).WaitAsync(Timeout))!);
        Assert.Equal(CanaryPhase.Paused, summary.Phase);
        Assert.Equal([CanaryCommandWords.Resume, CanaryCommandWords.Promote, CanaryCommandWords.Abort, CanaryCommandWords.Restart], summary.Commands);
        Assert.Equal(DecisionReasons.ManualPause, summary.LastDecision!.Reason);
    }

    [Fact]
    public async Task Canary_created_while_the_api_server_was_down_is_ticked_once_it_answers_again()
    {
        await using var bed = await CanaryTestBed.StartAsync(server);
        await using var service = Service(bed.KubeconfigPath, bed.FlowCollectorAddress);
        using var http = service.CreateClient();
        await Eventually.ValueAsync(() => service.Services.GetService(typeof(LabNet.CanaryController.Kubernetes.KubernetesClientSource)) is LabNet.CanaryController.Kubernetes.KubernetesClientSource { Current: not null }, ok => ok, "the service to read the kubeconfig");
        await Task.Delay(TimeSpan.FromMilliseconds(300)); // the first list and watch are open

        bed.Api.Availability = Simulator::LabNet.Simulator.Kubernetes.ApiServerAvailability.Down("test: control plane VM stopped");
        bed.ApplyCanary();
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.Null(bed.Canary["status"]);
        bed.Api.Availability = Simulator::LabNet.Simulator.Kubernetes.ApiServerAvailability.Up;

        var phase = await Eventually.ValueAsync(() => bed.Canary["status"]?["phase"]?.GetValue<string>(), p => p is not null, "the controller to tick the new Canary after the outage");
        Assert.Equal("HeaderProbe", phase);
    }

    [Fact]
    public async Task Command_for_a_canary_that_does_not_exist_is_404_and_an_unreachable_api_is_502()
    {
        await using var bed = await CanaryTestBed.StartAsync(server);
        await using var service = Service(bed.KubeconfigPath, bed.FlowCollectorAddress);
        using var http = service.CreateClient();
        await Eventually.ValueAsync(() => service.Services.GetService(typeof(LabNet.CanaryController.Kubernetes.KubernetesClientSource)) is LabNet.CanaryController.Kubernetes.KubernetesClientSource { Current: not null }, ok => ok, "the service to read the kubeconfig");

        using var missing = await http.PostAsync("/api/canaries/demo/nginx/abort", null).WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        bed.Api.Availability = Simulator::LabNet.Simulator.Kubernetes.ApiServerAvailability.Down("test: control plane VM stopped");
        using var down = await http.GetAsync("/api/canaries").WaitAsync(TimeSpan.FromSeconds(120));
        Assert.Equal(HttpStatusCode.BadGateway, down.StatusCode);
    }

    [Fact]
    public async Task Unknown_command_is_refused_with_the_list_of_commands()
    {
        await using var bed = await CanaryTestBed.StartAsync(server);
        await using var service = Service(bed.KubeconfigPath, bed.FlowCollectorAddress);
        using var http = service.CreateClient();

        using var response = await http.PostAsync("/api/canaries/demo/httpbin/rollback", null).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("pause, resume, promote, abort, restart", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Api_answers_503_waiting_for_kubeconfig_until_the_file_exists()
    {
        var missing = Path.Combine(Directory.CreateTempSubdirectory("labnet-canary-").FullName, "dev.yaml");
        await using var service = Service(missing, new Uri("http://127.0.0.1:9"));
        using var http = service.CreateClient();

        using var response = await http.GetAsync("/api/canaries").WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("waiting for kubeconfig", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_rewritten_kubeconfig_moves_the_controller_to_the_api_server_it_now_names()
    {
        await using var bed = await CanaryTestBed.StartAsync(server);
        // A kubeconfig left from an earlier lab: its API server is gone (nothing listens on port 9).
        var kubeconfig = Path.Combine(Directory.CreateTempSubdirectory("labnet-canary-").FullName, "dev.yaml");
        await File.WriteAllTextAsync(kubeconfig, CanaryTestBed.Kubeconfig(new Uri("http://127.0.0.1:9/clusters/dev")));
        await using var service = Service(kubeconfig, bed.FlowCollectorAddress);
        using var http = service.CreateClient();
        await Eventually.ValueAsync(() => service.Services.GetService(typeof(LabNet.CanaryController.Kubernetes.KubernetesClientSource)) is LabNet.CanaryController.Kubernetes.KubernetesClientSource { Current: not null }, ok => ok, "the service to read the stale kubeconfig");
        bed.ApplyCanary();

        // The Provisioner writes the new lab's kubeconfig over it.
        File.Copy(bed.KubeconfigPath, kubeconfig, overwrite: true);

        await Eventually.ValueAsync(() => bed.Canary["status"]?["phase"]?.GetValue<string>(), phase => phase == "HeaderProbe", "the controller to reach the new API server and tick the Canary");
        using var list = await http.GetAsync("/api/canaries").WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.OK, list.StatusCode);
    }

    private static WebApplicationFactory<Program> Service(string kubeconfig, Uri flowCollector) =>
        new WebApplicationFactory<Program>().WithWebHostBuilder(builder => builder.ConfigureAppConfiguration((_, configuration) =>
            configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["CanaryController:Kubeconfig"] = kubeconfig,
                ["CanaryController:FlowCollector"] = flowCollector.ToString(),
                ["CanaryController:KubeconfigPollInterval"] = "00:00:00.100",
                ["CanaryController:WatchRetryDelay"] = "00:00:00.200",
            })));
}
