using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace LabNet.Provisioner.Tests.Simulation;

/// <summary>Faults injected in the simulator (its /faults API): the Provisioner survives the passing ones and isolates the rest.</summary>
public sealed class LabFaultTests
{
    [Fact]
    public async Task Ssh_failing_twice_and_kubeadm_init_failing_once_are_retried_and_the_apply_succeeds()
    {
        await using var lab = await SimulatedLab.StartAsync(RepositoryRoot.Combine("config", "clusters.json"));
        await InjectAsync(lab, "ssh-fails", "staging-worker1", 2);
        await InjectAsync(lab, "kubeadm-init-fails", "staging-master", 1);

        var result = await ApplyAsync(lab);

        Assert.True(result["status"]?.GetValue<string>() == "succeeded", result.ToJsonString() + "\n" + string.Join("\n", lab.Simulator.Output.Split('\n').Where(l => l.Contains("staging"))));
        var master = await IpOfAsync(lab, "staging-master");
        var rootScripts = (await ToolCallsAsync(lab)).Count(c => c.Command.Contains($"admin@{master} 'sudo bash -s'", StringComparison.Ordinal));
        // prepare, runtime and packages once each, kubeadm init twice: the failed attempt and its retry.
        Assert.Equal(5, rootScripts);
    }

    [Fact]
    public async Task A_vm_that_never_gets_an_address_fails_its_cluster_only_and_the_next_apply_resumes_without_recloning()
    {
        await using var lab = await SimulatedLab.StartAsync(RepositoryRoot.Combine("config", "clusters.json"));
        await InjectAsync(lab, "no-ip", "staging-worker1", 1);

        var first = await ApplyAsync(lab);

        var clusters = first["clusters"]!.AsArray().ToDictionary(c => c!["cluster"]!.GetValue<string>(), c => c!["error"]?.GetValue<string>());
        Assert.Equal("failed", first["status"]!.GetValue<string>());
        Assert.Null(clusters["platform"]);
        Assert.Null(clusters["dev"]);
        Assert.Null(clusters["prod"]);
        Assert.Contains("VM staging-worker1 got no IP address within 180 s", clusters["staging"]);

        using (var http = new HttpClient { BaseAddress = lab.Simulator.Url })
        {
            (await http.DeleteAsync("/faults")).EnsureSuccessStatusCode();
        }

        var before = (await ToolCallsAsync(lab)).Count;
        var second = await ApplyAsync(lab);
        var calls = (await ToolCallsAsync(lab)).Skip(before).ToList();

        Assert.True(second["status"]?.GetValue<string>() == "succeeded", second.ToJsonString());
        Assert.DoesNotContain(calls, c => c.Command.StartsWith("tart clone", StringComparison.Ordinal));
        Assert.DoesNotContain(calls, c => c.Command.StartsWith("tart pull", StringComparison.Ordinal));
        // The zombie VM was rebooted; every other VM kept running.
        Assert.Equal(["tart run staging-worker1"], calls.Where(c => c.Command.StartsWith("tart run", StringComparison.Ordinal)).Select(c => string.Join(' ', c.Command.Split(' ').Take(3))));
    }

    private static async Task InjectAsync(SimulatedLab lab, string kind, string vm, int count)
    {
        using var http = new HttpClient { BaseAddress = lab.Simulator.Url };
        (await http.PostAsJsonAsync("/faults", new { kind, vm, count })).EnsureSuccessStatusCode();
    }

    private static async Task<JsonNode> ApplyAsync(SimulatedLab lab)
    {
        using var client = lab.Provisioner.CreateClient();
        client.Timeout = AppliedLabFixture.ApplyTimeout;
        using var response = await client.PostAsync("/api/lab/apply?wait=true", null).WaitAsync(AppliedLabFixture.ApplyTimeout);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static async Task<IReadOnlyList<ModeledToolCall>> ToolCallsAsync(SimulatedLab lab)
    {
        using var http = new HttpClient { BaseAddress = lab.Simulator.Url };
        return await http.GetFromJsonAsync<List<ModeledToolCall>>("/tools/steps") ?? [];
    }

    /// <summary>The VM's address as a person would ask for it: <c>tart ip</c>, through the simulator's tools boundary.</summary>
    private static async Task<string> IpOfAsync(SimulatedLab lab, string vm)
    {
        using var http = new HttpClient { BaseAddress = lab.Simulator.Url };
        using var response = await http.PostAsJsonAsync("/tools/tart", new { argv = new[] { "ip", vm }, stdin = "", env = new { }, cwd = Path.GetTempPath() });
        var stdout = string.Concat((await response.Content.ReadAsStringAsync())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonNode.Parse(line)!["o"]?.GetValue<string>()));
        return stdout.Trim();
    }
}
