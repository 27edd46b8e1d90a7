namespace LabNet.Simulator.Clock;

/// <summary>
/// The modeled time of one tool call (or of one piece of background work, such as a VM's boot): where it starts on the
/// steps' timeline and every <see cref="SimulationClock.Elapse"/> inside it.
/// </summary>
public sealed class StepMeter(DateTimeOffset start)
{
    private long _ticks;

    /// <summary>Where the call starts on the timeline of modeled tool time.</summary>
    public DateTimeOffset Start { get; } = start;

    public TimeSpan Modeled => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));

    /// <summary>The call's own modeled now: its start plus the modeled time it has waited so far.</summary>
    public DateTimeOffset Now => Start + Modeled;

    internal void Add(TimeSpan modeled) => Interlocked.Add(ref _ticks, modeled.Ticks);
}
