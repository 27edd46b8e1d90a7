using LabNet.FlowCollector.Flows;
using LabNet.FlowCollector.Metrics;
using LabNet.Traffic;

namespace LabNet.FlowCollector.Traffic;

/// <summary>
/// Keeps, per (namespace, service, version), one bucket per second of arrival time for the last
/// <see cref="RetentionSeconds"/> seconds: HTTP responses by status class with their latency, and drops. The service
/// of a flow is the request destination's <c>app</c> label (else its workload), its version the <c>version</c> label.
/// Memory is bounded by the retention and a cap on series. Thread-safe.
/// </summary>
public sealed class TrafficRecorder(TimeProvider timeProvider, int maxSeries = TrafficRecorder.DefaultMaxSeries)
{
    // Worst case memory: series x retention x ~1.2 KB (100 x 300 x 1.2 KB = 36 MB); a canary needs a handful of series.
    public const int RetentionSeconds = 300;
    public const int DefaultMaxSeries = 100;

    private readonly Lock _gate = new();
    private readonly Dictionary<TrafficSeriesKey, SecondBucket[]> _series = [];

    /// <summary>Flows of services beyond the series cap, which the summary cannot show.</summary>
    public long RefusedFlows { get; private set; }

    public void Record(FlowRecord flow)
    {
        var isResponse = flow.L7 == L7Protocol.HTTP && flow.L7Type == HubbleLabels.L7Response;
        var isDrop = flow.Verdict == HubbleLabels.VerdictDropped;
        if (!isResponse && !isDrop)
        {
            return;
        }

        // A response flows from the server: the request's destination is its source.
        var target = isResponse ? flow.Source : flow.Destination;
        var service = target.App.Length > 0 ? target.App : target.Workload;
        if (service.Length == 0)
        {
            return;
        }

        var second = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        var reporter = isResponse ? HubbleLabels.ReporterCode(flow.TrafficDirection) : 0;
        var key = new TrafficSeriesKey(target.Namespace, service, target.Version, reporter, isResponse ? flow.ProbeHeaderValue : "");
        lock (_gate)
        {
            if (!_series.TryGetValue(key, out var buckets))
            {
                if (_series.Count >= maxSeries)
                {
                    RefusedFlows++;
                    return;
                }

                buckets = new SecondBucket[RetentionSeconds];
                _series.Add(key, buckets);
            }

            var slot = (int)(second % RetentionSeconds);
            var bucket = buckets[slot] ??= new SecondBucket();
            if (bucket.Second != second)
            {
                bucket.Reset(second);
            }

            if (isDrop && !isResponse)
            {
                bucket.Drops++;
                return;
            }

            bucket.Requests++;
            switch (flow.HttpCode / 100)
            {
                case 2: bucket.Status2xx++; break;
                case 4: bucket.Status4xx++; break;
                case 5: bucket.Status5xx++; break;
            }

            bucket.Latency.AddNanos(flow.LatencyNs);
        }
    }

    /// <param name="probeValue">When given, each version also counts apart the requests whose probe header had this value.</param>
    public TrafficSummary Summarize(string @namespace, string service, TimeSpan window, string? probeValue = null)
    {
        var now = timeProvider.GetUtcNow();
        var seconds = (int)Math.Clamp(Math.Ceiling(window.TotalSeconds), 1, RetentionSeconds);
        var last = now.ToUnixTimeSeconds();
        var first = last - seconds + 1;

        var versions = new SortedDictionary<string, Accumulator>(StringComparer.Ordinal);
        var total = new Accumulator();
        string reporterUsed;
        lock (_gate)
        {
            var series = _series.Where(s => s.Key.Namespace == @namespace && s.Key.Service == service).ToList();

            // When proxies on both sides report the same requests, count them once: the server's view if there is one.
            var reporter = series.Any(s => s.Key.Reporter == 1 && HasRequests(s.Value, first, last)) ? 1
                : series.Any(s => s.Key.Reporter == 2 && HasRequests(s.Value, first, last)) ? 2
                : 0;
            reporterUsed = HubbleLabels.ReporterName(reporter);
            foreach (var (key, buckets) in series)
            {
                var traffic = versions.TryGetValue(key.Version, out var existing) ? existing : versions[key.Version] = new Accumulator();
                foreach (var bucket in buckets)
                {
                    if (bucket is not null && bucket.Second >= first && bucket.Second <= last)
                    {
                        var counted = key.Reporter == reporter;
                        var probe = counted && probeValue is not null && key.ProbeValue == probeValue;
                        traffic.Add(bucket, counted, probe);
                        total.Add(bucket, counted, probe);
                    }
                }
            }
        }

        return new TrafficSummary(
            @namespace,
            service,
            seconds,
            DateTimeOffset.FromUnixTimeSeconds(first),
            now,
            reporterUsed,
            probeValue,
            [.. versions.Select(v => v.Value.ToVersion(v.Key, total.Requests))],
            total.ToVersion("", total.Requests));
    }

    private static bool HasRequests(SecondBucket?[] buckets, long first, long last) =>
        buckets.Any(b => b is not null && b.Second >= first && b.Second <= last && b.Requests > 0);

    private sealed class Accumulator
    {
        private readonly LatencyHistogramBuilder _latency = new();
        private long _requests, _probeRequests, _s2xx, _s4xx, _s5xx, _drops;

        public long Requests => _requests;

        public void Add(SecondBucket bucket, bool requests, bool probe)
        {
            _drops += bucket.Drops;
            if (requests)
            {
                _requests += bucket.Requests;
                _probeRequests += probe ? bucket.Requests : 0;
                _s2xx += bucket.Status2xx;
                _s4xx += bucket.Status4xx;
                _s5xx += bucket.Status5xx;
                _latency.Add(bucket.Latency);
            }
        }

        public VersionTraffic ToVersion(string version, long allRequests) => new()
        {
            Version = version,
            Requests = _requests,
            ProbeRequests = _probeRequests,
            Status2xx = _s2xx,
            Status4xx = _s4xx,
            Status5xx = _s5xx,
            Drops = _drops,
            Share = allRequests == 0 ? null : (double)_requests / allRequests,
            Latency = _latency.ToHistogram(),
        };
    }
}
