using LabNet.Provisioner.Provisioning;

namespace LabNet.Provisioner.Tests.Provisioning;

public sealed class HostCpuBudgetTests
{
    [Fact]
    public async Task Clusters_wait_while_their_cpus_do_not_fit_and_start_in_arrival_order()
    {
        var budget = new HostCpuBudget(8);
        var first = await budget.AcquireAsync(6, CancellationToken.None);
        var second = budget.AcquireAsync(4, CancellationToken.None);
        var third = budget.AcquireAsync(2, CancellationToken.None);

        await Task.Delay(50);
        Assert.False(second.IsCompleted);
        Assert.False(third.IsCompleted, "a small cluster must not overtake a waiting larger one");

        first.Dispose();
        using var secondLease = await second.WaitAsync(TimeSpan.FromSeconds(5));
        using var thirdLease = await third.WaitAsync(TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task A_cluster_larger_than_the_host_runs_alone()
    {
        var budget = new HostCpuBudget(4);

        using var lease = await budget.AcquireAsync(7, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));

        Assert.False(budget.AcquireAsync(1, CancellationToken.None).IsCompleted);
    }

    [Fact]
    public void The_makespan_estimate_schedules_clusters_as_the_budget_would()
    {
        var budget = new HostCpuBudget(16);
        var original = new[] { (7, TimeSpan.FromMinutes(10)), (4, TimeSpan.FromMinutes(8)), (4, TimeSpan.FromMinutes(8)), (6, TimeSpan.FromMinutes(10)) };

        // platform, dev and staging fit (15 of 16 cores); prod waits for the first to finish (dev at 8 minutes).
        Assert.Equal(TimeSpan.FromMinutes(18), budget.EstimateMakespan(original));
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(2, 4)]
    [InlineData(3, 8)]
    [InlineData(6, 30)]
    public void Retry_delays_double_up_to_the_cap(int failures, int seconds)
    {
        var options = new RetryOptions { InitialDelay = TimeSpan.FromSeconds(2), MaxDelay = TimeSpan.FromSeconds(30) };

        Assert.Equal(TimeSpan.FromSeconds(seconds), options.DelayAfter(failures));
    }
}
