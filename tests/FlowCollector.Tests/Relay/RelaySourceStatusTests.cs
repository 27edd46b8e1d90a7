using LabNet.FlowCollector.Relay;
using Microsoft.Extensions.Time.Testing;

namespace LabNet.FlowCollector.Tests.Relay;

public sealed class RelaySourceStatusTests
{
    [Fact]
    public void Flows_per_second_is_the_rate_over_the_last_complete_seconds()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 26, 6, 0, 0, TimeSpan.Zero));
        var status = new RelaySourceStatus("dev", "http://127.0.0.1:4245/", time);
        for (var second = 0; second < 20; second++)
        {
            for (var i = 0; i < 100 + second; i++)
            {
                status.FlowCounted(1);
            }

            time.Advance(TimeSpan.FromSeconds(1));
        }

        // Seconds 11..19 had 111..119 flows: 1035 over 9 s.
        Assert.Equal(115.0, status.Snapshot().FlowsPerSecond);

        time.Advance(TimeSpan.FromSeconds(30));
        Assert.Equal(0, status.Snapshot().FlowsPerSecond);
    }
}
