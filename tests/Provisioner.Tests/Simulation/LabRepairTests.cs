using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace LabNet.Provisioner.Tests.Simulation;

public sealed class LabRepairTests
{
    [Fact]
    public async Task A_master_back_with_a_new_address_is_repaired_by_the_next_apply_and_cilium_follows_it()
    {
        await using var lab = await SimulatedLab.StartAsync(RepositoryRoot.Combine("config", "clusters.json"));
        Assert.Equal("succeeded", (await ApplyAsync(lab))["status"]!.GetValue<string>());
        var oldAddress = await TartAsync(lab, "ip", "dev-master");

        // The Mac restarted: the master went down and DHCP handed it another address when it came back.
        using (var http = new HttpClient { BaseAddress = lab.Simulator.Url })
        {
            (await http.PostAsJsonAsync("/faults", new { kind = "new-ip-on-restart", vm = "dev-master" })).EnsureSuccessStatusCode();
        }

        await TartAsync(lab, "stop", "dev-master");
        var (brokenExit, _) = await KubectlAsync(lab, "get", "nodes");
        Assert.NotEqual(0, brokenExit);

        var repaired = await ApplyAsync(lab);

        Assert.True(repaired["status"]?.GetValue<string>() == "succeeded", repaired.ToJsonString());
        var newAddress = await TartAsync(lab, "ip", "dev-master", "--resolver", "agent");
        Assert.NotEqual(oldAddress, newAddress);
        var (exit, nodes) = await KubectlAsync(lab, "get", "nodes", "--no-headers");
        Assert.Equal(0, exit);
        Assert.Equal(2, nodes.Split('\n', StringSplitOptions.RemoveEmptyEntries).Count(line => line.Contains(" Ready ")));
        var (_, serviceHost) = await KubectlAsync(lab, "get", "configmap", "cilium-config", "-n", "kube-system", "-o", "jsonpath={.data.k8s-service-host}");
        Assert.Equal(newAddress, serviceHost);
    }

    private static async Task<JsonNode> ApplyAsync(SimulatedLab lab)
    {
        using var client = lab.Provisioner.CreateClient();
        client.Timeout = AppliedLabFixture.ApplyTimeout;
        using var response = await client.PostAsync("/api/lab/apply?wait=true", null).WaitAsync(AppliedLabFixture.ApplyTimeout);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    private static async Task<string> TartAsync(SimulatedLab lab, params string[] argv)
    {
        using var http = new HttpClient { BaseAddress = lab.Simulator.Url };
        using var response = await http.PostAsJsonAsync("/tools/tart", new { argv, stdin = "", env = new { }, cwd = Path.GetTempPath() });
        return string.Concat((await response.Content.ReadAsStringAsync())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonNode.Parse(line)!["o"]?.GetValue<string>())).Trim();
    }

    private static async Task<(int ExitCode, string Output)> KubectlAsync(SimulatedLab lab, params string[] arguments)
    {
        var startInfo = new ProcessStartInfo("kubectl") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["--kubeconfig", Path.Combine(lab.KubeconfigDirectory, "dev.yaml"), "--request-timeout=5s", .. arguments])
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        return (process.ExitCode, (await output).Trim() + (await error));
    }
}
