using System.Globalization;
using System.Text;

namespace LabNet.Benchmarks.CanaryQuality;

/// <summary>Outcomes of many seeded runs of one policy on one scenario at one rate.</summary>
public sealed record QualityReport(string Scenario, double RequestsPerSecond, string Policy, IReadOnlyList<RunOutcome> Runs)
{
    public int Count(RunVerdict verdict) => Runs.Count(run => run.Verdict == verdict);

    public double Percent(RunVerdict verdict) => 100.0 * Count(verdict) / Runs.Count;

    public double? MedianSeconds(RunVerdict verdict) => Quantile(verdict, 0.5);

    public double? Quantile(RunVerdict verdict, double q)
    {
        var times = Runs.Where(run => run.Verdict == verdict).Select(run => run.Seconds).Order().ToList();
        if (times.Count == 0)
        {
            return null;
        }

        var index = (int)Math.Ceiling(q * times.Count) - 1;
        return times[Math.Clamp(index, 0, times.Count - 1)];
    }

    /// <summary>
    /// Runs <paramref name="runs"/> seeds (baseSeed, baseSeed + 1, ...) of a scenario, spread over the hosts; a run's
    /// outcome depends on its seed only, so the report is the same whatever the hosts or their order.
    /// </summary>
    public static async Task<QualityReport> MeasureAsync(ICanaryPolicySimulation policy, TrafficScenario scenario, int runs, int baseSeed, FlowCollectorHosts hosts)
    {
        var outcomes = new RunOutcome[runs];
        await Parallel.ForAsync(0, runs, new ParallelOptions { MaxDegreeOfParallelism = hosts.Count }, async (i, _) =>
        {
            var host = hosts.Take();
            try
            {
                outcomes[i] = await policy.RunAsync(scenario, baseSeed + i, host);
            }
            finally
            {
                hosts.Return(host);
            }
        });
        return new QualityReport(scenario.Name, scenario.RequestsPerSecond, policy.Name, outcomes);
    }

    public static string Table(IEnumerable<QualityReport> reports)
    {
        var text = new StringBuilder();
        text.AppendLine("| scenario | req/s | policy | runs | rolled back | promoted | failed safe | undecided | median s to rollback | p95 s to rollback | median s to promotion |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in reports)
        {
            text.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Scenario} | {r.RequestsPerSecond:0.#} | {r.Policy} | {r.Runs.Count} | {r.Percent(RunVerdict.RolledBack):0.#}% | {r.Percent(RunVerdict.Promoted):0.#}% | {r.Percent(RunVerdict.FailedSafe):0.#}% | {r.Percent(RunVerdict.Undecided):0.#}% "
                + $"| {Seconds(r.MedianSeconds(RunVerdict.RolledBack))} | {Seconds(r.Quantile(RunVerdict.RolledBack, 0.95))} | {Seconds(r.MedianSeconds(RunVerdict.Promoted))} |");
        }

        return text.ToString();
    }

    private static string Seconds(double? seconds) => seconds is { } s ? s.ToString("0", CultureInfo.InvariantCulture) : "-";
}
