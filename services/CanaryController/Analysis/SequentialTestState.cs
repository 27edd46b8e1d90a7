namespace LabNet.CanaryController.Analysis;

/// <summary>
/// Running state of a mixture sequential test: the log likelihood ratio of each alternative in the mixture's grid.
/// Kept in the Canary's status so that a restarted controller continues the same test instead of starting over
/// (starting over would be valid too, but would throw away evidence).
/// </summary>
public sealed record SequentialTestState(IReadOnlyList<double> LogLikelihoodRatios, long Events)
{
    public static SequentialTestState Empty { get; } = new([], 0);

    /// <summary>The mixture with equal prior weights: the mean of the likelihood ratios, computed stably in logs.</summary>
    public double EValue()
    {
        if (LogLikelihoodRatios.Count == 0)
        {
            return 1;
        }

        var max = LogLikelihoodRatios.Max();
        var sum = LogLikelihoodRatios.Sum(log => Math.Exp(log - max));
        var value = Math.Exp(max + Math.Log(sum / LogLikelihoodRatios.Count));
        // Overwhelming evidence can exceed a double; status JSON cannot carry infinity.
        return double.IsFinite(value) ? value : double.MaxValue;
    }

    internal double[] LogsFor(int components) =>
        LogLikelihoodRatios.Count == components ? [.. LogLikelihoodRatios] : new double[components];
}
