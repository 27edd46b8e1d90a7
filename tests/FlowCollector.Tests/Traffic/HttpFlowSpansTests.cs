using System.Diagnostics;
using LabNet.FlowCollector.Flows;
using LabNet.FlowCollector.Traffic;

namespace LabNet.FlowCollector.Tests.Traffic;

public sealed class HttpFlowSpansTests
{
    [Fact]
    public void Sampled_http_responses_become_spans_covering_the_request()
    {
        var node = $"dev/{Guid.NewGuid():N}";
        var spans = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == HttpFlowSpans.SourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if ((string?)activity.GetTagItem("hubble.node_name") == node)
                {
                    lock (spans)
                    {
                        spans.Add(activity);
                    }
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var recorder = new HttpFlowSpans(sampleOneIn: 2);
        var end = new DateTimeOffset(2026, 11, 26, 6, 0, 1, TimeSpan.Zero);

        for (var i = 0; i < 10; i++)
        {
            recorder.Record(Response(node, end, code: i == 1 ? 503 : 200));
        }

        Assert.Equal(5, spans.Count);
        var failed = Assert.Single(spans, s => (int?)s.GetTagItem("http.response.status_code") == 503);
        Assert.Equal(ActivityStatusCode.Error, failed.Status);
        Assert.Equal("GET httpbin-v2", failed.DisplayName);
        Assert.Equal(end.UtcDateTime - TimeSpan.FromMilliseconds(250), failed.StartTimeUtc);
        Assert.Equal(TimeSpan.FromMilliseconds(250), failed.Duration);
        Assert.Equal("nginx-web", failed.GetTagItem("source.workload"));
        Assert.Equal("v2", failed.GetTagItem("destination.version"));
    }

    private static FlowRecord Response(string node, DateTimeOffset time, int code)
    {
        var flow = new FlowRecord
        {
            NodeName = node,
            TimeUnixNanos = (time - DateTimeOffset.UnixEpoch).Ticks * 100,
            Verdict = 1,
            L7 = L7Protocol.HTTP,
            L7Type = 2,
            HttpCode = code,
            HttpMethod = "GET",
            LatencyNs = 250_000_000,
            TrafficDirection = 1,
        };
        flow.Source.Namespace = "demo";
        flow.Source.Workload = "httpbin-v2";
        flow.Source.Version = "v2";
        flow.Destination.Namespace = "demo";
        flow.Destination.Workload = "nginx-web";
        return flow;
    }
}
