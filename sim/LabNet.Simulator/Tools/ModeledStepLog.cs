namespace LabNet.Simulator.Tools;

/// <summary>The last tool calls with their modeled durations (bounded, oldest dropped first).</summary>
public sealed class ModeledStepLog
{
    private const int Capacity = 10_000;
    private readonly Queue<ModeledStep> _steps = new();
    private readonly Lock _sync = new();

    public void Add(ModeledStep step)
    {
        lock (_sync)
        {
            if (_steps.Count == Capacity)
            {
                _steps.Dequeue();
            }

            _steps.Enqueue(step);
        }
    }

    /// <summary>The calls that start on the timeline at or after <paramref name="since"/> and end by <paramref name="until"/>.</summary>
    public IReadOnlyList<ModeledStep> Window(DateTimeOffset? since, DateTimeOffset? until)
    {
        lock (_sync)
        {
            return [.. _steps.Where(s => (since is null || s.ModeledStart >= since) && (until is null || s.ModeledEnd <= until))];
        }
    }

    public IReadOnlyList<ModeledStep> Steps
    {
        get
        {
            lock (_sync)
            {
                return [.. _steps];
            }
        }
    }
}
