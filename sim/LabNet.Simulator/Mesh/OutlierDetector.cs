namespace LabNet.Simulator.Mesh;

/// <summary>
/// Envoy's outlier detection for one upstream cluster of one client sidecar (Istio makes a cluster per subset,
/// <c>outbound|80|v1|httpbin.demo.svc.cluster.local</c>). A host is ejected as soon as it reaches
/// <c>consecutive5xxErrors</c> (or <c>consecutiveGatewayErrors</c>) failures in a row; a success resets both counters.
/// Every <c>interval</c> a sweep returns hosts whose ejection time (base x times ejected, capped) is up, and lowers the
/// multiplier of hosts that stayed healthy for an interval. Never more than <c>maxEjectionPercent</c> of the hosts are
/// ejected, except that one ejection is always allowed. Thread-safe.
/// </summary>
public sealed class OutlierDetector
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, HostState> _hosts = new(StringComparer.Ordinal);
    private readonly DateTimeOffset _sweepStart;
    private long _sweeps;

    public OutlierDetector(string clusterName, OutlierDetectionSettings settings, DateTimeOffset createdAt)
    {
        ClusterName = clusterName;
        Settings = settings;
        _sweepStart = createdAt;
    }

    /// <summary>Envoy's cluster name, e.g. <c>outbound|80|v2|httpbin.demo.svc.cluster.local</c>.</summary>
    public string ClusterName { get; }

    public OutlierDetectionSettings Settings { get; }

    /// <summary>
    /// The hosts the load balancer may pick at <paramref name="now"/>, written into <paramref name="healthy"/>
    /// (cleared first). Runs the sweeps that are due. Hosts not seen before join with a clean record.
    /// </summary>
    public void Healthy<T>(IReadOnlyList<T> hosts, Func<T, string> keyOf, DateTimeOffset now, List<T> healthy)
    {
        healthy.Clear();
        lock (_gate)
        {
            Sweep(now);
            foreach (var host in hosts)
            {
                if (!_hosts.TryGetValue(keyOf(host), out var state) || !state.Ejected)
                {
                    healthy.Add(host);
                }
            }
        }
    }

    /// <summary>Whether the host is ejected at <paramref name="now"/>.</summary>
    public bool IsEjected(string host, DateTimeOffset now)
    {
        lock (_gate)
        {
            Sweep(now);
            return _hosts.TryGetValue(host, out var state) && state.Ejected;
        }
    }

    /// <summary>How many times the host has been ejected in a row (the multiplier of its ejection time).</summary>
    public int EjectionMultiplier(string host)
    {
        lock (_gate)
        {
            return _hosts.TryGetValue(host, out var state) ? state.Backoff : 0;
        }
    }

    /// <summary>
    /// Records the outcome of one request to <paramref name="host"/>. <paramref name="status"/> is the HTTP status, or 0
    /// for a local-origin failure (connect timeout, reset, TLS failure), which counts as a 5xx and a gateway error
    /// (Istio does not split local-origin errors). <paramref name="hostCount"/> is the cluster's current host count.
    /// Returns true when this outcome ejected the host.
    /// </summary>
    public bool Record(string host, int status, int hostCount, DateTimeOffset now)
    {
        lock (_gate)
        {
            Sweep(now);
            if (!_hosts.TryGetValue(host, out var state))
            {
                state = new HostState();
                _hosts[host] = state;
            }

            var is5xx = status is 0 or >= 500;
            var isGateway = status is 0 or 502 or 503 or 504;
            if (!is5xx)
            {
                state.Consecutive5xx = 0;
                state.ConsecutiveGateway = 0;
                return false;
            }

            state.Consecutive5xx++;
            state.ConsecutiveGateway = isGateway ? state.ConsecutiveGateway + 1 : 0;
            if (state.Ejected)
            {
                return false;
            }

            var trip = (Settings.Consecutive5xxErrors > 0 && state.Consecutive5xx >= Settings.Consecutive5xxErrors)
                || (Settings.ConsecutiveGatewayErrors > 0 && state.ConsecutiveGateway >= Settings.ConsecutiveGatewayErrors);
            if (!trip)
            {
                return false;
            }

            // Envoy resets the counter whether or not the ejection goes ahead.
            state.Consecutive5xx = 0;
            state.ConsecutiveGateway = 0;
            var active = _hosts.Values.Count(h => h.Ejected);
            var percentAfter = 100.0 * (active + 1) / Math.Max(1, hostCount);
            if (active > 0 && percentAfter > Settings.MaxEjectionPercent)
            {
                return false;
            }

            state.Ejected = true;
            state.EjectedAt = now;
            if (Settings.BaseEjection * state.Backoff < Settings.MaxEjection)
            {
                state.Backoff++;
            }

            return true;
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        var interval = Settings.SweepInterval;
        if (interval <= TimeSpan.Zero)
        {
            return;
        }

        // Nothing to return or to decay: the sweeps that fell due change nothing, skip to the last one.
        var due = (long)((now - _sweepStart).Ticks / interval.Ticks);
        if (due > _sweeps && !_hosts.Values.Any(h => h.Ejected || h.Backoff > 0))
        {
            _sweeps = due;
            return;
        }

        // Every sweep that fell due since the last one runs at its own time, in order.
        while (true)
        {
            var at = _sweepStart + interval * (_sweeps + 1);
            if (at > now)
            {
                return;
            }

            _sweeps++;
            foreach (var state in _hosts.Values)
            {
                if (state.Ejected)
                {
                    var ejectedFor = Settings.BaseEjection * state.Backoff;
                    if (ejectedFor > Settings.MaxEjection)
                    {
                        ejectedFor = Settings.MaxEjection;
                    }

                    if (at - state.EjectedAt >= ejectedFor)
                    {
                        state.Ejected = false;
                        state.ReturnedAt = at;
                    }
                }
                else if (state.Backoff > 0 && state.ReturnedAt is { } returned && at - returned >= interval)
                {
                    state.Backoff--;
                }
            }
        }
    }

    private sealed class HostState
    {
        public int Consecutive5xx;
        public int ConsecutiveGateway;
        public bool Ejected;
        public DateTimeOffset EjectedAt;
        public DateTimeOffset? ReturnedAt;
        public int Backoff;
    }
}
