using LabNet.CanaryController.Kubernetes;

namespace LabNet.CanaryController.Controller;

/// <summary>
/// Which Canaries exist (from the watch) and when each ticks next. The watch makes a Canary due at once when it is new,
/// its spec changed (generation) or a command is pending; otherwise it ticks every <c>spec.analysis.interval</c>.
/// </summary>
public sealed class CanarySchedule(TimeProvider timeProvider)
{
    private readonly Lock gate = new();
    private readonly Dictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private TaskCompletionSource changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public IReadOnlyList<string> Keys
    {
        get
        {
            lock (gate)
            {
                return [.. entries.Keys];
            }
        }
    }

    /// <summary>After a (re-)list: exactly these Canaries exist; new ones are due now.</summary>
    public void Replace(IEnumerable<CanaryResource> canaries)
    {
        lock (gate)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var canary in canaries)
            {
                seen.Add(canary.Key);
                if (!entries.ContainsKey(canary.Key) || NeedsTickNow(canary))
                {
                    entries[canary.Key] = new Entry(canary.Namespace, canary.Name, DateTimeOffset.MinValue);
                }
            }

            foreach (var gone in entries.Keys.Where(k => !seen.Contains(k)).ToList())
            {
                entries.Remove(gone);
            }

            Signal();
        }
    }

    /// <summary>A watch ADDED or MODIFIED event.</summary>
    public void Observe(CanaryResource canary)
    {
        lock (gate)
        {
            if (!entries.ContainsKey(canary.Key) || NeedsTickNow(canary))
            {
                entries[canary.Key] = new Entry(canary.Namespace, canary.Name, DateTimeOffset.MinValue);
                Signal();
            }
        }
    }

    public void Remove(string key)
    {
        lock (gate)
        {
            entries.Remove(key);
        }
    }

    /// <summary>
    /// Next tick after <paramref name="delay"/>, moved to just before a whole second: the FlowCollector counts per
    /// second and its window ends with the current second, so the requests between the last window's end and the next
    /// whole second are in no window. Ticking at .9 s keeps that gap to a tenth of a second.
    /// </summary>
    public void ScheduleIn(string key, TimeSpan delay)
    {
        lock (gate)
        {
            if (entries.TryGetValue(key, out var entry))
            {
                entries[key] = entry with { DueAt = JustBeforeASecond(timeProvider.GetUtcNow() + delay) };
            }
        }
    }

    public static DateTimeOffset JustBeforeASecond(DateTimeOffset time)
    {
        var aligned = new DateTimeOffset(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero) + SecondLead;
        return aligned >= time ? aligned : aligned + TimeSpan.FromSeconds(1);
    }

    private static readonly TimeSpan SecondLead = TimeSpan.FromMilliseconds(900);

    /// <summary>The Canaries due now, and the time until the next one after them (null when there is none).</summary>
    public (IReadOnlyList<(string Key, string Namespace, string Name)> Due, Task Changed) TakeDue()
    {
        lock (gate)
        {
            var now = timeProvider.GetUtcNow();
            var due = entries.Where(e => e.Value.DueAt <= now).Select(e => (e.Key, e.Value.Namespace, e.Value.Name)).ToList();
            if (changed.Task.IsCompleted)
            {
                changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }

            return (due, changed.Task);
        }
    }

    /// <summary>Time until the earliest due Canary, capped at <paramref name="max"/>.</summary>
    public TimeSpan UntilNext(TimeSpan max)
    {
        lock (gate)
        {
            if (entries.Count == 0)
            {
                return max;
            }

            var wait = entries.Values.Min(e => e.DueAt) - timeProvider.GetUtcNow();
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait > max ? max : wait;
        }
    }

    /// <summary>A new spec or a pending command should not wait for the next interval.</summary>
    private static bool NeedsTickNow(CanaryResource canary) =>
        canary.Generation != canary.Status.ObservedGeneration
        || (canary.Annotations.TryGetValue(CanaryCommandAnnotation.Key, out var command) && command != canary.Status.LastCommand);

    private void Signal() => changed.TrySetResult();

    private sealed record Entry(string Namespace, string Name, DateTimeOffset DueAt);
}
