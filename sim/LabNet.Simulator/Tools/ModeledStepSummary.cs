namespace LabNet.Simulator.Tools;

/// <summary>
/// The modeled time of a window of tool calls (GET /tools/steps/summary): how long they took on the timeline, with
/// whatever ran side by side overlapping, against how long the same calls take one after another.
/// </summary>
/// <param name="Steps">Tool calls in the window.</param>
/// <param name="Failed">Of those, calls that exited non-zero.</param>
/// <param name="From">Where the earliest call starts on the timeline (null when the window is empty).</param>
/// <param name="To">Where the latest call ends.</param>
/// <param name="MakespanSeconds">From first start to last end: the modeled wall time of the window.</param>
/// <param name="SequentialSeconds">The sum of every call's modeled time: what running them one at a time would take.</param>
/// <param name="Parallelism">Sequential over makespan (1 = nothing overlapped).</param>
/// <param name="ByTool">Calls and modeled seconds per tool.</param>
public sealed record ModeledStepSummary(
    int Steps,
    int Failed,
    DateTimeOffset? From,
    DateTimeOffset? To,
    double MakespanSeconds,
    double SequentialSeconds,
    double Parallelism,
    IReadOnlyDictionary<string, ToolTime> ByTool)
{
    public static ModeledStepSummary Of(IReadOnlyCollection<ModeledStep> steps)
    {
        if (steps.Count == 0)
        {
            return new(0, 0, null, null, 0, 0, 0, new Dictionary<string, ToolTime>());
        }

        var from = steps.Min(s => s.ModeledStart);
        var to = steps.Max(s => s.ModeledEnd);
        var makespan = (to - from).TotalSeconds;
        var sequential = steps.Sum(s => s.ModeledSeconds);
        var byTool = steps
            .GroupBy(s => s.Tool, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => new ToolTime(g.Count(), g.Sum(s => s.ModeledSeconds)), StringComparer.Ordinal);
        return new(steps.Count, steps.Count(s => s.ExitCode != 0), from, to, makespan, sequential,
            makespan > 0 ? sequential / makespan : 1, byTool);
    }
}

/// <summary>Calls of one tool in a window and their summed modeled time.</summary>
public sealed record ToolTime(int Calls, double ModeledSeconds);
