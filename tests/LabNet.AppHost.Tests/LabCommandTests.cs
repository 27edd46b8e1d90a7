using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace LabNet.AppHost.Tests;

/// <summary>The lab resource's Plan, Apply, Repair and Destroy commands, from an empty lab (<c>LabNet:Scenario=None</c>).</summary>
[Collection(EmptyLabCollection.Name)]
public sealed class LabCommandTests(EmptyLabFixture lab)
{
    private static readonly TimeSpan Operation = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Plan_shows_the_changes_apply_builds_the_lab_repair_keeps_it_working_and_destroy_removes_it()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(12));
        var kubeconfig = Path.Combine(lab.KubeconfigDirectory, $"{EmptyLabFixture.Cluster}.yaml");
        var kubectl = lab.Kubectl(EmptyLabFixture.Cluster);
        await lab.App.ResourceNotifications.WaitForResourceHealthyAsync("provisioner", cts.Token).WaitAsync(TestTimeouts.ResourceHealthy, cts.Token);
        Assert.False(File.Exists(kubeconfig), "the None scenario applied the lab by itself");

        var plan = await lab.App.CommandAsync("lab", "lab-plan", cts.Token);
        Assert.True(plan.Success, plan.Message);
        Assert.Contains("\"expectedDuration\"", plan.Message);
        Assert.Contains($"{EmptyLabFixture.Cluster}/image.pull", plan.Message); // an empty Mac: everything from the image on

        var apply = await lab.App.CommandAsync("lab", "lab-apply", cts.Token);
        Assert.True(apply.Success, apply.Message);
        Assert.Equal("succeeded", await OperationResultAsync(apply, "apply", cts.Token));
        Assert.True(File.Exists(kubeconfig));
        Assert.Contains(" Ready ", await kubectl.OutputAsync("get", "nodes", "--no-headers"));

        var repair = await lab.App.CommandAsync("lab", "lab-repair", cts.Token);
        Assert.True(repair.Success, repair.Message);
        Assert.Equal("succeeded", await OperationResultAsync(repair, "repair", cts.Token));
        Assert.DoesNotContain("NotReady", await kubectl.OutputAsync("get", "nodes", "--no-headers"));

        var destroy = await lab.App.CommandAsync("lab", "lab-destroy", cts.Token);
        Assert.True(destroy.Success, destroy.Message);
        Assert.Equal("succeeded", await OperationResultAsync(destroy, "destroy", cts.Token));
        Assert.Empty(Directory.GetFiles(lab.KubeconfigDirectory, "*.yaml"));
        using var simulator = lab.App.CreateHttpClient("simulator");
        using var tartList = await simulator.PostAsJsonAsync("/tools/tart", new { argv = new[] { "list", "--format", "json" } }, cts.Token);
        Assert.True(tartList.IsSuccessStatusCode);
        var vms = await tartList.Content.ReadAsStringAsync(cts.Token);
        Assert.DoesNotContain($"{EmptyLabFixture.Cluster}-master", vms);
    }

    // The command answers with the operation it started; waiting on that id cannot return an earlier operation's result.
    private async Task<string?> OperationResultAsync(ExecuteCommandResult command, string kind, CancellationToken cancellationToken)
    {
        var started = JsonNode.Parse(command.Message!)!;
        Assert.Equal(kind, (string?)started["kind"]);
        using var provisioner = lab.App.CreateHttpClient("provisioner");
        provisioner.Timeout = Operation;
        var operation = await provisioner.GetFromJsonAsync<JsonObject>($"/api/lab/operations/{(string)started["operationId"]!}?wait=true", cancellationToken)
            .WaitAsync(Operation, cancellationToken);
        Assert.Equal("finished", (string?)operation!["state"]);
        return (string?)operation["result"]?["status"];
    }
}
