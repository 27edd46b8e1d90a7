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
