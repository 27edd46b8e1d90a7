using Microsoft.Extensions.Options;

namespace LabNet.Simulator.Clock;

/// <summary>
/// Modeled time on top of a <see cref="TimeProvider"/>: modeled time passes <c>SpeedFactor</c> times faster than the
/// provider's, and can jump forward (a host that slept). Every modeled wait goes through <see cref="Elapse"/>, which
/// also charges it to the tool call being measured.
/// </summary>
/// <remarks>
/// Tool calls also have a timeline of their own (<see cref="Timeline"/>), which the twin's own overhead (a shim's
/// start-up, HTTP) never moves: a call starts where every call that had finished before it began has ended (the order
/// its callers saw), and lasts the modeled time it waited, including waits for background work such as a VM's boot
/// (<see cref="WaitUntil"/>). Calls that overlapped in the world overlap on it at any speed factor, so its span is the
/// modeled duration a real lab would take for the same calls.
/// </remarks>
public sealed class SimulationClock
{
    private static readonly TimeSpan ShortestRealWait = TimeSpan.FromMilliseconds(1);

    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private readonly DateTimeOffset _start;
    private readonly AsyncLocal<StepMeter?> _meter = new();
    private long _jumpTicks;
    private long _timelineTicks;

    public SimulationClock(TimeProvider time, IOptions<ClockOptions> options)
    {
        _time = time;
        SpeedFactor = options.Value.SpeedFactor;
        _startTimestamp = time.GetTimestamp();
        _start = time.GetUtcNow();
        _timelineTicks = _start.UtcTicks;
    }

    public double SpeedFactor { get; }

    public DateTimeOffset Now =>
        _start
        + TimeSpan.FromTicks((long)(_time.GetElapsedTime(_startTimestamp).Ticks * SpeedFactor))
        + TimeSpan.FromTicks(Interlocked.Read(ref _jumpTicks));

    /// <summary>Moves modeled time forward at once, e.g. a Mac that slept overnight while VMs were stopped.</summary>
    public void Jump(TimeSpan modeled)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(modeled, TimeSpan.Zero);
        Interlocked.Add(ref _jumpTicks, modeled.Ticks);
    }

    /// <summary>The end of the tool-call timeline: where the latest-ending finished call ended.</summary>
    public DateTimeOffset Timeline => new(Interlocked.Read(ref _timelineTicks), TimeSpan.Zero);

    /// <summary>The modeled now of the current async flow on the timeline: its call's, or the timeline's end outside one.</summary>
    public DateTimeOffset FlowNow => _meter.Value?.Now ?? Timeline;

    /// <summary>Starts measuring the modeled time of the current async flow (one tool call), from the timeline's end.</summary>
    public StepMeter StartStep()
    {
        var meter = new StepMeter(Timeline);
        _meter.Value = meter;
        return meter;
    }

    /// <summary>Ends a tool call and returns where it ends: calls that begin from now on start no earlier.</summary>
    public DateTimeOffset CompleteStep(StepMeter meter)
    {
        var end = meter.Now;
        var seen = Interlocked.Read(ref _timelineTicks);
        while (end.UtcTicks > seen)
        {
            var previous = Interlocked.CompareExchange(ref _timelineTicks, end.UtcTicks, seen);
            if (previous == seen)
            {
                break;
            }

            seen = previous;
        }

        return end;
    }

    /// <summary>
    /// Detaches the current async flow from the call that started it (a VM booting after <c>tart run</c>): its waits
    /// are its own, starting at the call's modeled now, and are charged to whoever later waits for its result.
    /// </summary>
    public StepMeter StartBackground()
    {
        var meter = new StepMeter(FlowNow);
        _meter.Value = meter;
        return meter;
    }

    /// <summary>Waits until <paramref name="instant"/> on the timeline, e.g. for a boot that finishes then.</summary>
    public Task WaitUntil(DateTimeOffset instant, CancellationToken cancellationToken) => Elapse(instant - FlowNow, cancellationToken);

    /// <summary>Lets <paramref name="modeled"/> time pass; waits for it scaled by the speed factor (at least 1 ms).</summary>
    public async Task Elapse(TimeSpan modeled, CancellationToken cancellationToken)
    {
        if (modeled <= TimeSpan.Zero)
        {
            return;
        }

        _meter.Value?.Add(modeled);
        // Every wait takes at least one timer tick, so waits that are shorter in modeled time also end first in real
        // time even at the fastest clock (a VM's boot ends before the 180 one-second polls of tart ip --wait 180).
        var real = modeled / SpeedFactor;
        await Task.Delay(real < ShortestRealWait ? ShortestRealWait : real, _time, cancellationToken);
    }
}
