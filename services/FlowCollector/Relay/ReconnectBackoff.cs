namespace LabNet.FlowCollector.Relay;

/// <summary>
/// Exponential backoff with "equal jitter": attempt n waits between half and all of min(max, initial x 2^n), so
/// collectors that lost the same relay do not all come back at the same instant.
/// </summary>
public sealed class ReconnectBackoff(TimeSpan initial, TimeSpan max, Random random)
{
    private int _attempt;

    public int Attempt => _attempt;

    public TimeSpan NextDelay()
    {
        var ceiling = Math.Min(max.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, Math.Min(_attempt, 30)));
        _attempt++;
        return TimeSpan.FromMilliseconds(ceiling / 2 + random.NextDouble() * ceiling / 2);
    }

    /// <summary>A stream that delivered something counts as a success: the next failure starts from the initial delay.</summary>
    public void Reset() => _attempt = 0;
}
