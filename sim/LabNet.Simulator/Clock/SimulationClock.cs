using Microsoft.Extensions.Options;

namespace LabNet.Simulator.Clock;

/// <summary>
/// Modeled time on top of a <see cref="TimeProvider"/>: modeled time passes <c>SpeedFactor</c> times faster than the
/// provider's, and can jump forward (a host that slept). Every modeled wait goes through <see cref="Elapse"/>, which
/// also charges it to the tool call being measured.
/// </summary>
public sealed class SimulationClock
{
    private static readonly TimeSpan ShortestRealWait = TimeSpan.FromMilliseconds(1);

    private readonly TimeProvider _time;
    private readonly long _startTimestamp;
    private readonly DateTimeOffset _start;
    private readonly AsyncLocal<StepMeter?> _meter = new();
    private long _jumpTicks;

    public SimulationClock(TimeProvider time, IOptions<ClockOptions> options)
    {
        _time = time;
        SpeedFactor = options.Value.SpeedFactor;
        _startTimestamp = time.GetTimestamp();
        _start = time.GetUtcNow();
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

    /// <summary>Starts measuring the modeled time of the current async flow (one tool call).</summary>
    public StepMeter StartStep()
    {
        var meter = new StepMeter();
        _meter.Value = meter;
        return meter;
    }

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
