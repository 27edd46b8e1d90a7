using System.Net;
using System.Text.Json.Nodes;

namespace LabNet.Provisioner.Tests.Simulation;

public sealed class LabApplyTests
{
    private static readonly TimeSpan ApplyTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task Applying_the_original_spec_brings_up_every_cluster_with_its_kubeconfig()
    {
        await using var lab = await SimulatedLab.StartAsync(RepositoryRoot.Combine("config", "clusters.json"));
        using var client = lab.Provisioner.CreateClient();
        client.Timeout = ApplyTimeout;

        using var response = await client.PostAsync("/api/lab/apply?wait=true", null).WaitAsync(ApplyTimeout);
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var result = JsonNode.Parse(body)!;
        Assert.True(result["status"]!.GetValue<string>() == "succeeded", body + "\n--- simulator ---\n" + lab.Simulator.Output[^Math.Min(4000, lab.Simulator.Output.Length)..]);
        foreach (var cluster in new[] { "platform", "dev", "staging", "prod" })
        {
            var kubeconfig = Path.Combine(lab.KubeconfigDirectory, $"{cluster}.yaml");
            Assert.True(File.Exists(kubeconfig), $"{kubeconfig} was not written");
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(kubeconfig));
            }
        }
    }
}
