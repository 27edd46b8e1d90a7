using System.Globalization;
using LabNet.Simulator.Workloads;

namespace LabNet.Simulator.Mesh;

/// <summary>
/// How answers look on the client's side of the data plane: curl's cut at <c>--max-time</c>, connection failures,
/// the replies a sidecar makes itself, the headers Envoy adds on the way out and on the way in.
/// </summary>
internal static class MeshAnswers
{
    /// <summary>Streams after --max-time are cut by curl: exit 28, whatever was coming.</summary>
    internal static MeshResponse Capped(in MeshExchange call, MeshResponse response) =>
        call.MaxTime is { } max && response.Elapsed > max
            ? new MeshResponse(PodHttpOutcome.TimedOut, 0, "", [], "", max, response.ServedBy, false, response.RemoteAddress)
            : response;

    internal static MeshResponse Failed(in MeshExchange call, PodHttpOutcome outcome, TimeSpan elapsed, TrafficPod? backend = null) =>
        call.MaxTime is { } max && elapsed > max
            ? new MeshResponse(PodHttpOutcome.TimedOut, 0, "", [], "", max, null, false, backend?.Ip.ToString())
            : new MeshResponse(outcome, 0, "", [], "", elapsed, null, false, backend?.Ip.ToString());

    /// <summary>A reply the client sidecar makes without sending anything: nothing leaves the pod, Hubble sees nothing.</summary>
    internal static MeshResponse Local(in MeshExchange call, int status, string reason, string body, TimeSpan elapsed) =>
        new(PodHttpOutcome.Response, status, reason, call.WantBody ? EnvoyLocalHeaders(body, call.At) : [], body, elapsed, null, LocalReply: true);

    internal static MeshResponse Proxy(in MeshExchange call, int status, string reason, string body, TimeSpan elapsed, TrafficPod backend, MeshFailure failure) =>
        new(PodHttpOutcome.Response, status, reason, call.WantBody ? EnvoyLocalHeaders(body, call.At) : [], body, elapsed, null, LocalReply: true, Address(call, backend), failure);

    internal static KeyValuePair<string, string>[] EnvoyLocalHeaders(string body, DateTimeOffset at) =>
    [
        new("content-length", body.Length.ToString(CultureInfo.InvariantCulture)),
        new("content-type", "text/plain"),
        new("date", Date(at)),
        new("server", "envoy"),
    ];

    internal static MeshResponse WithClientSidecarHeaders(in MeshExchange call, MeshResponse response, TimeSpan upstreamTime) =>
        call.WantBody ? response with { Headers = EnvoyHeaders(response.Headers, "envoy", upstreamTime), Reason = HttpStatusText.For(response.Status) } : response;

    /// <summary>Envoy lower-cases header names on HTTP/1.1, replaces <c>server</c> and adds its service time.</summary>
    internal static KeyValuePair<string, string>[] EnvoyHeaders(IReadOnlyList<KeyValuePair<string, string>> headers, string server, TimeSpan upstreamTime)
    {
        var result = new List<KeyValuePair<string, string>>(headers.Count + 2);
        foreach (var (name, value) in headers)
        {
            var lower = name.ToLowerInvariant();
            if (lower is "server" or "x-envoy-upstream-service-time" or "connection")
            {
                continue;
            }

            result.Add(new(lower, value));
        }

        result.Add(new("x-envoy-upstream-service-time", ((long)Math.Max(1, upstreamTime.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture)));
        result.Add(new("server", server));
        return [.. result];
    }

    /// <summary>The headers the application receives: curl's, the caller's, and what the sidecars on the way add.</summary>
    internal static List<KeyValuePair<string, string>> RequestHeaders(in MeshExchange call, bool clientSidecar, bool serverSidecar, bool mtls, TrafficPod backend, int attempt)
    {
        var headers = new List<KeyValuePair<string, string>>
        {
            new("Host", call.Request.Host),
            new("User-Agent", "curl/8.11.1"),
            new("Accept", "*/*"),
        };
        foreach (var header in call.ExtraHeaders ?? [])
        {
            headers.RemoveAll(h => string.Equals(h.Key, header.Key, StringComparison.OrdinalIgnoreCase));
            headers.Add(header);
        }

        if (call.Body is not null && !headers.Any(h => string.Equals(h.Key, "Content-Type", StringComparison.OrdinalIgnoreCase)))
        {
            headers.Add(new("Content-Type", "application/x-www-form-urlencoded"));
        }

        if (call.Body is not null)
        {
            headers.Add(new("Content-Length", System.Text.Encoding.UTF8.GetByteCount(call.Body).ToString(CultureInfo.InvariantCulture)));
        }

        if (clientSidecar || serverSidecar)
        {
            var trace = Hex(call.Random, 16);
            headers.Add(new("X-B3-Traceid", trace));
            headers.Add(new("X-B3-Spanid", Hex(call.Random, 8)));
            headers.Add(new("X-B3-Sampled", "0"));
            if (clientSidecar && serverSidecar)
            {
                headers.Add(new("X-B3-Parentspanid", trace[16..]));
            }

            headers.Add(new("X-Request-Id", Uuid(call.Random)));
        }

        if (clientSidecar)
        {
            headers.Add(new("X-Envoy-Attempt-Count", attempt.ToString(CultureInfo.InvariantCulture)));
        }

        if (mtls && serverSidecar)
        {
            var server = $"spiffe://cluster.local/ns/{backend.Namespace}/sa/{backend.ServiceAccount}";
            var client = $"spiffe://cluster.local/ns/{call.Client.Namespace}/sa/{call.Client.ServiceAccount}";
            headers.Add(new("X-Forwarded-Client-Cert", $"By={server};Hash={Hex(call.Random, 32)};Subject=\"\";URI={client}"));
        }

        return headers;
    }

    /// <summary>For curl's output only; the generator's hot path does not format addresses.</summary>
    internal static string? Address(in MeshExchange call, TrafficPod pod) => call.WantBody ? pod.Ip.ToString() : null;

    internal static string Date(DateTimeOffset at) => at.UtcDateTime.ToString("r", CultureInfo.InvariantCulture);

    private static string Hex(Random random, int bytes)
    {
        Span<byte> buffer = stackalloc byte[bytes];
        random.NextBytes(buffer);
        return Convert.ToHexStringLower(buffer);
    }

    private static string Uuid(Random random)
    {
        Span<byte> buffer = stackalloc byte[16];
        random.NextBytes(buffer);
        buffer[6] = (byte)((buffer[6] & 0x0F) | 0x40);
        buffer[8] = (byte)((buffer[8] & 0x3F) | 0x80);
        var hex = Convert.ToHexStringLower(buffer);
        return $"{hex[..8]}-{hex[8..12]}-{hex[12..16]}-{hex[16..20]}-{hex[20..]}";
    }
}
