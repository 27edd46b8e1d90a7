namespace LabNet.AppHost.Tests;

/// <summary>
/// The httpbin-canary resource's commands, executed through Aspire's resource command API after the Default scenario's
/// own rollout has finished (so they do not change what <see cref="DefaultScenarioTests"/> observes). One test, because
/// each command starts from the phase the one before left.
/// </summary>
[Collection(SimulationLabCollection.Name)]
public sealed class CanaryCommandTests(SimulationLabFixture lab)
{
    private static readonly string[] Analysing = ["HeaderProbe", "Progressing"];

    [Fact]
    public async Task Restart_pause_resume_promote_and_abort_move_the_canary_and_refuse_what_does_not_apply()
    {
        using var cts = new CancellationTokenSource(LabFixture.CanaryConcludes + TimeSpan.FromMinutes(6));
        var app = lab.App;
        await lab.CanaryConcluded.WaitAsync(LabFixture.CanaryConcludes + TimeSpan.FromMinutes(1), cts.Token);
        await app.CanaryPhaseAsync(TestTimeouts.Start, cts.Token, "Initializing", "HeaderProbe", "Progressing", "Promoted", "RolledBack", "Failed");

        // Restart analysis applies in every phase: the rollout starts again and reaches the header probe.
        var restart = await app.CommandAsync(LabFixture.Canary, "canary-restart-analysis", cts.Token);
        Assert.True(restart.Success, restart.Message);
        await app.CanaryPhaseAsync(TestTimeouts.CanaryPhase, cts.Token, Analysing);

        var pause = await app.CommandAsync(LabFixture.Canary, "canary-pause", cts.Token);
        Assert.True(pause.Success, pause.Message);
        Assert.Contains("-> Paused", pause.Message);
        Assert.Equal("Paused", (string?)(await app.CanaryAsync(cts.Token))["phase"]);
        Assert.Equal("Paused", await lab.Dev.CanaryPhaseAsync());
        var paused = await app.CanaryPhaseAsync(TestTimeouts.CanaryPhase, cts.Token, "Paused");
        Assert.Equal(ResourceCommandState.Disabled, CommandState(paused, "canary-pause"));
        Assert.Equal(ResourceCommandState.Enabled, CommandState(paused, "canary-resume"));

        var pauseAgain = await app.CommandAsync(LabFixture.Canary, "canary-pause", cts.Token);
        Assert.False(pauseAgain.Success);
        Assert.Contains("canary demo/httpbin is Paused; nothing to pause", pauseAgain.Message);

        var resume = await app.CommandAsync(LabFixture.Canary, "canary-resume", cts.Token);
        Assert.True(resume.Success, resume.Message);
        Assert.Contains((string?)(await app.CanaryAsync(cts.Token))["phase"], Analysing);

        var promote = await app.CommandAsync(LabFixture.Canary, "canary-promote", cts.Token);
        Assert.True(promote.Success, promote.Message);
        Assert.Contains("-> Promoted", promote.Message);
        Assert.Equal("Promoted", await lab.Dev.CanaryPhaseAsync());
        Assert.Equal("v1=0 v2=100", await lab.Dev.CanarySplitAsync());
        var promoted = await app.CanaryPhaseAsync(TestTimeouts.CanaryPhase, cts.Token, "Promoted");
        Assert.Equal(ResourceCommandState.Disabled, CommandState(promoted, "canary-pause"));
        Assert.Equal(ResourceCommandState.Enabled, CommandState(promoted, "canary-restart-analysis"));

        var pauseAfterPromotion = await app.CommandAsync(LabFixture.Canary, "canary-pause", cts.Token);
        Assert.False(pauseAfterPromotion.Success);
        Assert.Contains("canary demo/httpbin is Promoted; nothing to pause", pauseAfterPromotion.Message);
        var resumeAfterPromotion = await app.CommandAsync(LabFixture.Canary, "canary-resume", cts.Token);
        Assert.False(resumeAfterPromotion.Success);
        Assert.Contains("canary demo/httpbin is Promoted; nothing to resume", resumeAfterPromotion.Message);

        // Again from the start, then abort: weight 0 at once, RolledBack once the VirtualService shows it.
        var restartAfterPromotion = await app.CommandAsync(LabFixture.Canary, "canary-restart-analysis", cts.Token);
        Assert.True(restartAfterPromotion.Success, restartAfterPromotion.Message);
        await app.CanaryPhaseAsync(TestTimeouts.CanaryPhase, cts.Token, Analysing);

        var abort = await app.CommandAsync(LabFixture.Canary, "canary-abort", cts.Token);
        Assert.True(abort.Success, abort.Message);
        var rolledBack = await app.CanaryPhaseAsync(TestTimeouts.CanaryPhase, cts.Token, "RolledBack");
        Assert.StartsWith("canary 0%", LabFixture.Property(rolledBack, "canary.weight"));
        var canary = await app.CanaryAsync(cts.Token);
        Assert.Equal("RolledBack", (string?)canary["phase"]);
        Assert.Equal(0, (int?)canary["canaryWeight"]);
        Assert.Equal("RolledBack", await lab.Dev.CanaryPhaseAsync());
        Assert.Equal("v1=100 v2=0", await lab.Dev.CanarySplitAsync());

        var abortAgain = await app.CommandAsync(LabFixture.Canary, "canary-abort", cts.Token);
        Assert.False(abortAgain.Success);
        Assert.Contains("canary demo/httpbin is RolledBack; nothing to abort", abortAgain.Message);
    }

    private static ResourceCommandState? CommandState(ResourceEvent resourceEvent, string command) =>
        resourceEvent.Snapshot.Commands.FirstOrDefault(c => c.Name == command)?.State;
}
