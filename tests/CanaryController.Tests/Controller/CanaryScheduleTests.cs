using System.Text.Json.Nodes;
using LabNet.CanaryController.Controller;
using LabNet.CanaryController.Kubernetes;
using Microsoft.Extensions.Time.Testing;

namespace LabNet.CanaryController.Tests.Controller;

public sealed class CanaryScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0, 900)]
    [InlineData(300, 900)]
    [InlineData(900, 900)]
    [InlineData(950, 1900)]
    public void Ticks_are_moved_to_just_before_a_whole_second(int milliseconds, int expected)
    {
        Assert.Equal(Start.AddMilliseconds(expected), CanarySchedule.JustBeforeASecond(Start.AddMilliseconds(milliseconds)));
    }

    [Fact]
    public void New_canary_is_due_at_once_and_then_after_its_interval()
    {
        var time = new FakeTimeProvider(Start.AddMilliseconds(250));
        var schedule = new CanarySchedule(time);
        schedule.Observe(Canary(generation: 1, observedGeneration: 0));

        var (due, _) = schedule.TakeDue();
        Assert.Equal("demo/httpbin", Assert.Single(due).Key);

        schedule.ScheduleIn("demo/httpbin", TimeSpan.FromSeconds(5));
        Assert.Empty(schedule.TakeDue().Due);
        Assert.Equal(TimeSpan.FromMilliseconds(5650), schedule.UntilNext(TimeSpan.FromSeconds(30)));
        time.Advance(TimeSpan.FromMilliseconds(5650));
        Assert.Single(schedule.TakeDue().Due);
    }

    [Fact]
    public void Own_status_write_does_not_wake_the_loop_but_a_command_does()
    {
        var time = new FakeTimeProvider(Start);
        var schedule = new CanarySchedule(time);
        schedule.Observe(Canary(generation: 1, observedGeneration: 0));
        schedule.ScheduleIn("demo/httpbin", TimeSpan.FromSeconds(5));

        var (_, changed) = schedule.TakeDue();
        schedule.Observe(Canary(generation: 1, observedGeneration: 1));
        Assert.False(changed.IsCompleted);
        Assert.Empty(schedule.TakeDue().Due);

        schedule.Observe(Canary(generation: 1, observedGeneration: 1, command: "pause@1"));
        Assert.True(changed.IsCompleted);
        Assert.Single(schedule.TakeDue().Due);
    }

    private static CanaryResource Canary(long generation, long observedGeneration, string? command = null)
    {
        var metadata = new JsonObject { ["name"] = "httpbin", ["namespace"] = "demo", ["generation"] = generation, ["resourceVersion"] = "7" };
        if (command is not null)
        {
            metadata["annotations"] = new JsonObject { [CanaryCommandAnnotation.Key] = command };
        }

        return CanaryResource.FromWire(new JsonObject
        {
            ["apiVersion"] = "labnet.io/v1alpha1",
            ["kind"] = "Canary",
            ["metadata"] = metadata,
            ["spec"] = new JsonObject { ["target"] = new JsonObject { ["service"] = "httpbin", ["virtualService"] = "httpbin-routing", ["destinationRule"] = "httpbin-destination" } },
            ["status"] = new JsonObject { ["phase"] = "HeaderProbe", ["observedGeneration"] = observedGeneration },
        });
    }
}
