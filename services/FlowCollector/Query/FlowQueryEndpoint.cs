using Google.Protobuf;
using LabNet.Hubble;
using LabNet.Hubble.Filters;
using LabNet.Hubble.ObserverApi;

namespace LabNet.FlowCollector.Query;

/// <summary>
/// <c>GET /api/flows</c> with <c>hubble observe</c>'s filters as query parameters (namespace, pod, from-pod, to-pod,
/// from-namespace, to-namespace, verdict, type, protocol, http-status, http-method, last, since): the last N matching
/// flows of the ring buffer as Hubble JSON lines (<c>application/x-ndjson</c>). With <c>follow=true</c>, a server-sent
/// event stream: the last N, then every new matching flow as it arrives.
/// </summary>
public static class FlowQueryEndpoint
{
    public const string Path = "/api/flows";

    public static WebApplication MapFlowQuery(this WebApplication app)
    {
        app.MapGet(Path, async (HttpContext context, FlowRingBuffer buffer, TimeProvider timeProvider) =>
        {
            var parameters = context.Request.Query.ToDictionary(q => q.Key, q => q.Value.Select(v => v ?? "").ToArray(), StringComparer.Ordinal);
            var (query, error) = FlowQuery.Parse(parameters, timeProvider.GetUtcNow());
            if (query is null)
            {
                await Results.Problem(title: "invalid flow filter", detail: error, statusCode: StatusCodes.Status400BadRequest).ExecuteAsync(context);
                return;
            }

            var (payloads, next) = buffer.ReadAfter(-1);
            var matching = Matching(payloads, query).TakeLast((int)Math.Min(query.Last, int.MaxValue)).ToList();
            if (!query.Follow)
            {
                context.Response.ContentType = "application/x-ndjson";
                foreach (var response in matching)
                {
                    await context.Response.WriteAsync(HubbleJson.Format(response) + "\n", context.RequestAborted);
                }

                return;
            }

            context.Response.ContentType = "text/event-stream";
            context.Response.Headers.CacheControl = "no-cache";
            var aborted = context.RequestAborted;
            try
            {
                foreach (var response in matching)
                {
                    await WriteEventAsync(context, response, aborted);
                }

                await context.Response.Body.FlushAsync(aborted);
                while (!aborted.IsCancellationRequested)
                {
                    var changed = buffer.Changed;
                    (payloads, var last) = buffer.ReadAfter(next);
                    if (payloads.Count == 0)
                    {
                        await changed.WaitAsync(aborted);
                        continue;
                    }

                    next = last;
                    foreach (var response in Matching(payloads, query))
                    {
                        await WriteEventAsync(context, response, aborted);
                    }

                    await context.Response.Body.FlushAsync(aborted);
                }
            }
            catch (OperationCanceledException) when (aborted.IsCancellationRequested)
            {
                // The client went away.
            }
        });
        return app;
    }

    private static IEnumerable<GetFlowsResponse> Matching(IReadOnlyList<byte[]> payloads, FlowQuery query)
    {
        var sinceNanos = query.Since is { } since ? (since - DateTimeOffset.UnixEpoch).Ticks * 100 : long.MinValue;
        foreach (var payload in payloads)
        {
            GetFlowsResponse response;
            try
            {
                response = GetFlowsResponse.Parser.ParseFrom(payload);
            }
            catch (InvalidProtocolBufferException)
            {
                continue;
            }

            if (response.Flow is not { } flow)
            {
                continue;
            }

            var time = flow.Time ?? response.Time;
            var nanos = time is null ? 0 : time.Seconds * 1_000_000_000L + time.Nanos;
            if (nanos >= sinceNanos && FlowFilterMatcher.Matches(flow, query.Whitelist, []))
            {
                yield return response;
            }
        }
    }

    private static async Task WriteEventAsync(HttpContext context, GetFlowsResponse response, CancellationToken cancellationToken) =>
        await context.Response.WriteAsync($"data: {HubbleJson.Format(response)}\n\n", cancellationToken);
}
