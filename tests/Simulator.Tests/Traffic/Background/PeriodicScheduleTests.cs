using LabNet.Simulator.Traffic.Background;

namespace LabNet.Simulator.Tests.Traffic.Background;

public sealed class PeriodicScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    private static List<DateTimeOffset> Times(PeriodicSchedule schedule, string key, TimeSpan period, int seconds, bool memoryless = false)
    {
        var times = new List<DateTimeOffset>();
        for (var s = 0; s <= seconds; s++)
        {
            schedule.Due(key, period, Start.AddSeconds(s), memoryless, times);
        }

        return times;
    }

    [Fact]
    public void A_periodic_activity_starts_at_a_phase_within_its_period_and_then_runs_every_period()
    {
        var times = Times(new PeriodicSchedule(new Random(3)), "probe", TimeSpan.FromSeconds(10), 100);

        Assert.InRange(times[0], Start, Start.AddSeconds(10));
        Assert.All(times.Zip(times.Skip(1)), p => Assert.Equal(TimeSpan.FromSeconds(10), p.Second - p.First));
        Assert.Equal(10, times.Count);
    }

    [Fact]
    public void A_memoryless_activity_has_exponential_gaps_of_the_given_mean()
    {
        var times = Times(new PeriodicSchedule(new Random(3)), "dns", TimeSpan.FromSeconds(2), 20_000, memoryless: true);

        // 10,000 expected; a Poisson count's sigma is 100.
        Assert.InRange(times.Count, 10_000 - 500, 10_000 + 500);
        Assert.All(times.Zip(times.Skip(1)), p => Assert.True(p.Second >= p.First));
    }

    [Fact]
    public void After_a_stall_at_most_one_period_is_replayed()
    {
        var schedule = new PeriodicSchedule(new Random(3));
        var times = new List<DateTimeOffset>();
        schedule.Due("probe", TimeSpan.FromSeconds(10), Start, false, times);
        schedule.Due("probe", TimeSpan.FromSeconds(10), Start.AddHours(1), false, times);

        Assert.InRange(times.Count, 1, 2);
        Assert.All(times, t => Assert.True(t > Start.AddHours(1).AddSeconds(-20)));
    }

    [Fact]
    public void Once_is_true_the_first_time_and_again_after_the_activity_was_forgotten()
    {
        var schedule = new PeriodicSchedule(new Random(3));

        Assert.True(schedule.Once("relay/a"));
        Assert.False(schedule.Once("relay/a"));
        schedule.Sweep();
        Assert.False(schedule.Once("relay/a"));
        schedule.Sweep();
        schedule.Sweep();
        Assert.True(schedule.Once("relay/a"));
    }
}
