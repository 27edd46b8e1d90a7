using LabNet.Traffic;

namespace LabNet.FlowCollector.Traffic;

/// <summary>Exact counts of one second of traffic to one service version.</summary>
internal sealed class SecondBucket
{
    public long Second { get; set; } = long.MinValue;

    public long Requests { get; set; }

    public long Status2xx { get; set; }

    public long Status4xx { get; set; }

    public long Status5xx { get; set; }

    public long Drops { get; set; }

    public LatencyHistogramBuilder Latency { get; } = new();

    public void Reset(long second)
    {
        Second = second;
        Requests = Status2xx = Status4xx = Status5xx = Drops = 0;
        Latency.Clear();
    }
}
