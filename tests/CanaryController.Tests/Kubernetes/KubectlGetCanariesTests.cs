using LabNet.CanaryController.Resources;

namespace LabNet.CanaryController.Tests.Kubernetes;

/// <summary>The real kubectl shows the rollout the controller writes (the CRD's printer columns over status).</summary>
[Collection(SimulatorApiServerCollection.Name)]
public sealed class KubectlGetCanariesTests(SimulatorApiServer server)
{
    [Fact]
    public async Task Kubectl_get_canaries_shows_each_step_of_a_healthy_rollout()
    {
        await using var bed = await CanaryTestBed.StartAsync(server);
        bed.ApplyCanary();
        await bed.TickAsync();
        var rows = new List<string> { await GetCanaryRowAsync(bed) };
        for (var tick = 0; tick < 100 && bed.Status.Phase != CanaryPhase.Promoted; tick++)
        {
            var weight = bed.Status.CanaryWeight;
            bed.Traffic(seconds: 5, requestsPerSecond: 50);
            await bed.TickAsync();
            if (bed.Status.CanaryWeight != weight)
            {
                rows.Add(await GetCanaryRowAsync(bed));
            }
        }

        string[][] expected = [["HeaderProbe", "0", "-1"], ["Progressing", "20", "0"], ["Progressing", "50", "1"], ["Progressing", "80", "2"], ["Promoted", "100"]];
        Assert.Equal(expected.Length, rows.Count);
        for (var i = 0; i < expected.Length; i++)
        {
            var columns = rows[i].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal("httpbin", columns[0]);
            Assert.Equal(expected[i], columns[1..(1 + expected[i].Length)]);
        }
    }

    private static async Task<string> GetCanaryRowAsync(CanaryTestBed bed) =>
        (await new Kubectl(bed.KubeconfigPath).OutputAsync("get", "canaries", "-n", "demo", "--no-headers")).Trim();
}
