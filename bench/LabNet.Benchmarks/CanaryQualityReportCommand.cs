using System.Globalization;

namespace LabNet.Benchmarks.CanaryQuality;

/// <summary><c>canary-quality [runs] [seed]</c>: prints LabNet vs Flagger on the harness scenarios as a Markdown table.</summary>
public static class CanaryQualityReportCommand
{
    public static void Run(string[] args)
    {
        var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : CanaryQualityHarness.DefaultRuns;
        var seed = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : CanaryQualityHarness.DefaultSeed;
        Console.WriteLine($"Canary decision quality: {runs} seeded runs per scenario from seed {seed}, 50 req/s total, steps 20/50/80 then promotion.");
        Console.WriteLine(QualityReport.Table(CanaryQualityHarness.Compare(runs, seed)));
    }
}
