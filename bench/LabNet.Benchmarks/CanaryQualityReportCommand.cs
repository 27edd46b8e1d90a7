using System.Globalization;

namespace LabNet.Benchmarks.CanaryQuality;

/// <summary><c>canary-quality [runs] [seed]</c>: prints LabNet vs Flagger on the harness scenarios as a Markdown table.</summary>
public static class CanaryQualityReportCommand
{
    public static async Task RunAsync(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : CanaryQualityHarness.DefaultRuns;
        var seed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : CanaryQualityHarness.DefaultSeed;
        await using var hosts = await FlowCollectorHosts.StartAsync();
        Console.WriteLine($"Canary decision quality: {runs} seeded runs per scenario and rate from seed {seed}, through the FlowCollector's recorder and summary, "
            + "the controller's client and analysis; the shipped Canary spec (header probe off), steps 20/50/80 then promotion.");
        Console.WriteLine(QualityReport.Table(await CanaryQualityHarness.CompareAsync(hosts, runs, seed)));
    }
}
