namespace LabNet.Simulator.Clock;

/// <summary>Adds up the modeled time one tool call spends (every <see cref="SimulationClock.Elapse"/> inside it).</summary>
public sealed class StepMeter
{
    private long _ticks;

    public TimeSpan Modeled => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    internal void Add(TimeSpan modeled) => Interlocked.Add(ref _ticks, modeled.Ticks);
}
