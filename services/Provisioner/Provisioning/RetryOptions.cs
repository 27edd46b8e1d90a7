using System.ComponentModel.DataAnnotations;

namespace LabNet.Provisioner.Provisioning;

/// <summary>The <c>Provisioning:Retry</c> section: how transient step failures are retried.</summary>
public sealed class RetryOptions
{
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan InitialDelay { get; set; } = TimeSpan.FromSeconds(2);

    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Backoff after the n-th failure (1-based): doubling from <see cref="InitialDelay"/>, capped at <see cref="MaxDelay"/>.</summary>
    public TimeSpan DelayAfter(int failures) =>
        TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, InitialDelay.Ticks * (1L << Math.Min(failures - 1, 30))));
}
