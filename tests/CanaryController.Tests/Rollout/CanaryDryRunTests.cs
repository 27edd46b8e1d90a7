using LabNet.Canary;
using LabNet.CanaryController.Resources;
using LabNet.CanaryController.Rollout;

namespace LabNet.CanaryController.Tests.Rollout;

public sealed class CanaryDryRunTests
{
    [Fact]
    public void Dry_run_walks_the_whole_ramp_on_live_traffic_without_changing_anything()
    {
        var driver = new CanaryDriver(Fixtures.FastSpec with { DryRun = true });
        var seed = driver.Mesh;
        driver.Tick();

        // Traffic keeps flowing 80/20 as the seed routes it: the decisions do not depend on the split.
        for (var i = 0; i < 100 && driver.Status.Phase != CanaryPhase.Promoted; i++)
        {
            driver.Traffic(200, 0, 50, 0);
        }

        Assert.Equal(CanaryPhase.Promoted, driver.Status.Phase);
        Assert.DoesNotContain(driver.AllActions, a => a is not EmitEvent);
        Assert.Same(seed, driver.Mesh);
        var wouldSet = driver.AllActions.OfType<EmitEvent>().Where(e => e.Reason == DecisionReasons.DryRun).Select(e => e.Message).ToList();
        Assert.Contains("Dry run: would set VirtualService demo/httpbin-routing to v1 50 / v2 50.", wouldSet);
        Assert.Contains("Dry run: would set VirtualService demo/httpbin-routing to v1 0 / v2 100.", wouldSet);
    }

    [Fact]
    public void Dry_run_reports_the_rollback_it_would_have_done()
    {
        var driver = new CanaryDriver(Fixtures.FastSpec with { DryRun = true });
        driver.Tick();
        driver.Traffic(240, 0, 60, 0);

        var rollback = driver.Traffic(200, 0, 50, 8);
        var done = driver.Tick();

        Assert.Equal(DecisionOutcome.RollBack, rollback.Decision!.Outcome);
        Assert.Equal(CanaryPhase.RolledBack, done.Status.Phase);
        Assert.DoesNotContain(driver.AllActions, a => a is not EmitEvent);
        Assert.Contains(rollback.Actions.OfType<EmitEvent>(), e => e.Message == "Dry run: would set VirtualService demo/httpbin-routing to v1 100 / v2 0.");
    }
}
