using System.Globalization;
using System.Text.RegularExpressions;

namespace LabNet.Provisioner.Tests.Simulation;

/// <summary>
/// The modeled duration of the original lab's first apply (<see cref="AppliedLabFixture"/>, at its speed factor) against
/// one step after another, as the simulator measures it on its timeline of modeled tool time (each call as long as the
/// documented durations of what it did).
/// </summary>
[Collection(AppliedLabCollection.Name)]
public sealed partial class LabDurationTests(AppliedLabFixture lab, ITestOutputHelper output)
{
    [Fact]
    public void A_full_apply_takes_at_most_a_third_of_its_steps_run_one_after_another_and_the_plan_says_how_long_first()
    {
        var plan = lab.Plan;
        var expected = TimeSpan.Parse(plan["expectedDuration"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        var apply = lab.FirstApply;
        var summary = lab.FirstApplySteps;
        var calls = lab.FirstApplyCalls;

        Assert.True(apply["status"]?.GetValue<string>() == "succeeded", apply.ToJsonString());
        var makespan = TimeSpan.FromSeconds(summary.MakespanSeconds);
        var sequential = TimeSpan.FromSeconds(summary.SequentialSeconds);
        var concurrentVms = MostVmsBusyAtOnce(calls);
        output.WriteLine($"tool calls:                 {summary.Steps} ({summary.Failed} exited non-zero)");
        output.WriteLine($"modeled makespan:           {makespan:h\\:mm\\:ss} ({summary.MakespanSeconds:0} s)");
        output.WriteLine($"one step after another:     {sequential:h\\:mm\\:ss} ({summary.SequentialSeconds:0} s)");
        output.WriteLine($"makespan / sequential:      {summary.MakespanSeconds / summary.SequentialSeconds:0.000}");
        output.WriteLine($"plan's expected duration:   {expected:h\\:mm\\:ss} ({expected.TotalSeconds:0} s), plan's sequential {plan["sequentialDuration"]}");
        output.WriteLine($"plan / measured makespan:   {expected.TotalSeconds / summary.MakespanSeconds:0.00}");
        output.WriteLine($"most VMs in a guest command at one modeled instant: {concurrentVms}");

        // The plan schedules the clusters in parallel within the host budget: a third of the sequential time or less.
        var plannedSequential = TimeSpan.Parse(plan["sequentialDuration"]!.GetValue<string>(), CultureInfo.InvariantCulture);
        Assert.True(expected * 3 <= plannedSequential, $"the plan expects {expected}, more than a third of {plannedSequential} one step after another");
        // What happened follows the plan. The timeline is wall time times the speed factor, so the twin's own overhead
        // between calls (shim start-up) stretches it: 0.25-0.28 on a quiet machine, 0.39 at a load average of 50 on two
        // cores. Half keeps that margin and still fails for a Provisioner that runs the clusters one after another (~1).
        Assert.True(makespan * 2 <= sequential, $"modeled makespan {makespan} is more than half of {sequential} one step after another");
        // The commands of different VMs overlap in modeled time: at least the VMs of the clusters the CPU budget lets
        // start together (platform, dev and staging: 7 VMs) were in a guest command at the same modeled instant.
        Assert.True(concurrentVms >= 7, $"at most {concurrentVms} VMs were busy at one modeled instant");
        // The plan's estimate is the same order of magnitude as what happened.
        Assert.InRange(expected.TotalSeconds / summary.MakespanSeconds, 0.5, 2.0);
    }

    /// <summary>The largest number of distinct VMs with an ssh command in progress at one instant of the timeline.</summary>
    private static int MostVmsBusyAtOnce(IReadOnlyList<ModeledToolCall> calls)
    {
        var guest = calls
            .Where(c => c.Tool is "ssh" or "sshpass" && c.ModeledEnd > c.ModeledStart)
            .Select(c => (Vm: Target().Match(c.Command).Value, c.ModeledStart, c.ModeledEnd))
            .ToList();
        return guest
            .Select(at => guest.Where(c => c.ModeledStart <= at.ModeledStart && at.ModeledStart < c.ModeledEnd).Select(c => c.Vm).Distinct().Count())
            .DefaultIfEmpty(0)
            .Max();
    }

    [GeneratedRegex(@"@\d+\.\d+\.\d+\.\d+")]
    private static partial Regex Target();
}
