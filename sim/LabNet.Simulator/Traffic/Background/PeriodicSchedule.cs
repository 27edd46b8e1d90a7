namespace LabNet.Simulator.Traffic.Background;

/// <summary>
/// When each recurring activity of a cluster (one probe, one pod's lookups, one node pair's health checks) runs next, by
/// the activity's key. An activity first runs at a random phase within its period, as the real ones start whenever their
/// pod or node did; one no longer asked about in a step is forgotten at <see cref="Sweep"/> (its pod or node is gone).
/// Choices come from the caller's seeded generator; not thread-safe.
/// </summary>
public sealed class PeriodicSchedule(Random random)
{
    private readonly Dictionary<string, DateTimeOffset> _next = new(StringComparer.Ordinal);
    private readonly HashSet<string> _asked = new(StringComparer.Ordinal);

    /// <summary>
    /// Adds to <paramref name="into"/> the times up to <paramref name="now"/> at which the activity runs: every
    /// <paramref name="period"/>, or with exponentially distributed gaps of that mean when <paramref name="memoryless"/>.
    /// After a stall of the host (debugger, suspended VM) it replays at most one period.
    /// </summary>
    public void Due(string key, TimeSpan period, DateTimeOffset now, bool memoryless, List<DateTimeOffset> into)
    {
        _asked.Add(key);
        if (!_next.TryGetValue(key, out var next))
        {
            next = now + period * random.NextDouble();
        }
        else if (next < now - period)
        {
            next = now - period * random.NextDouble();
        }

        while (next <= now)
        {
            into.Add(next);
            next += memoryless ? period * -Math.Log(1 - random.NextDouble()) : period;
        }

        _next[key] = next;
    }

    /// <summary>True the first time the activity is asked about (again after it was forgotten): a one-off, such as opening a connection.</summary>
    public bool Once(string key)
    {
        _asked.Add(key);
        return _next.TryAdd(key, DateTimeOffset.MaxValue);
    }

    /// <summary>Forgets the activities not asked about since the last sweep.</summary>
    public void Sweep()
    {
        foreach (var key in _next.Keys.Where(k => !_asked.Contains(k)).ToList())
        {
            _next.Remove(key);
        }

        _asked.Clear();
    }
}
