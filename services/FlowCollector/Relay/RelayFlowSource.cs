using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using LabNet.FlowCollector.Decoding;
using LabNet.FlowCollector.Flows;
using LabNet.Hubble.ObserverApi;

namespace LabNet.FlowCollector.Relay;

/// <summary>
/// Follows one cluster's hubble-relay (<c>observer.Observer/GetFlows</c>, follow=true) for as long as the collector
/// runs. When the stream breaks it reconnects with exponential backoff and jitter and resumes with since = the last
/// flow time it saw (less a small overlap for the relay's sort buffer); the flows the relay repeats at that seam are
/// recognised by identity and dropped, so nothing in the relay's buffer is lost or counted twice. Lost events reported by the relay and messages it cannot decode are counted.
/// </summary>
public sealed partial class RelayFlowSource(
    string cluster,
    RelayConnection connection,
    FlowPipeline pipeline,
    FlowCollectorOptions options,
    TimeProvider timeProvider,
    Random random,
    ILogger<RelayFlowSource> logger)
{
    public RelaySourceStatus Status { get; } = new(cluster, connection.Address, timeProvider);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = new ReconnectBackoff(options.InitialReconnectDelay, options.MaxReconnectDelay, random);
        var seam = new SeamDeduplicator(options.SeamWindowFlows);
        var decoder = new HubbleProtobufDecoder(probeHeader: options.ProbeHeader);
        var flow = new FlowRecord();
        var lastFlowTime = 0L;

        using var channel = connection.CreateChannel();
        var invoker = channel.CreateCallInvoker();

        while (!cancellationToken.IsCancellationRequested)
        {
            string error;
            try
            {
                var request = new GetFlowsRequest { Follow = true };
                var since = lastFlowTime - options.ResumeOverlap.Ticks * 100;
                if (lastFlowTime != 0)
                {
                    request.Since = new Timestamp { Seconds = since / 1_000_000_000, Nanos = (int)(since % 1_000_000_000) };
                }

                LogConnecting(logger, cluster, connection.Address, request.Since is null ? "now" : Rfc3339.Format(since));
                using var call = invoker.AsyncServerStreamingCall(RelayMessage.GetFlows, null, new CallOptions(cancellationToken: cancellationToken), request);
                _ = call.ResponseHeadersAsync.ContinueWith(
                    headers =>
                    {
                        if (headers.IsCompletedSuccessfully)
                        {
                            Status.Connected(timeProvider.GetUtcNow());
                        }
                        else
                        {
                            // Observed here; the same failure surfaces from MoveNext below.
                            _ = headers.Exception;
                        }
                    },
                    CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);

                var delivered = false;
                while (await call.ResponseStream.MoveNext(cancellationToken).ConfigureAwait(false))
                {
                    if (!delivered)
                    {
                        delivered = true;
                        backoff.Reset();
                        Status.Connected(timeProvider.GetUtcNow());
                    }

                    lastFlowTime = Math.Max(lastFlowTime, Handle(call.ResponseStream.Current, decoder, flow, seam));
                }

                error = "the relay ended the stream";
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (RpcException ex) when (ex.StatusCode == StatusCode.Cancelled && cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (RpcException ex)
            {
                error = $"{ex.StatusCode}: {ex.Status.Detail}";
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or InvalidOperationException)
            {
                error = ex.Message;
            }

            Status.Disconnected(error);
            var delay = backoff.NextDelay();
            LogDisconnected(logger, cluster, connection.Address, error, delay);
            try
            {
                await Task.Delay(delay, timeProvider, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    /// <summary>Counts one GetFlowsResponse; returns the time of a counted flow (0 otherwise).</summary>
    private long Handle(byte[] message, HubbleProtobufDecoder decoder, FlowRecord flow, SeamDeduplicator seam)
    {
        switch (decoder.Decode(message, flow, out var lost, out var error))
        {
            case HubbleEventKind.Flow:
                // Without a uuid, the flow's bytes are its identity (a repeat at the seam is byte-identical).
                var identity = new FlowIdentity(flow.TimeUnixNanos, flow.NodeName, flow.UuidHash != 0 ? flow.UuidHash : Flows.Utf8Hash.Compute64(message));
                if (!seam.TryAdd(identity))
                {
                    Status.DuplicateDropped();
                    return 0;
                }

                pipeline.Process(flow, cluster, message);
                Status.FlowCounted(flow.TimeUnixNanos);
                return flow.TimeUnixNanos;

            case HubbleEventKind.LostEvents:
                pipeline.ProcessLostEvents(lost);
                Status.LostEvents(lost.Count);
                LogLostEvents(logger, cluster, lost.Count, Flows.HubbleEnum.LostEventSource.NameOf(lost.Source));
                return 0;

            case HubbleEventKind.OtherEvent:
                // node_status: the relay's view of its agents; the stream goes on.
                return 0;

            default:
                CountUndecodable(error ?? "not a GetFlowsResponse");
                return 0;
        }
    }

    private void CountUndecodable(string error)
    {
        pipeline.CountUndecodableFlow();
        Status.Undecodable();
        LogUndecodable(logger, cluster, error);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Relay {Cluster} at {Address}: following flows since {Since}")]
    private static partial void LogConnecting(ILogger logger, string cluster, string address, string since);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Relay {Cluster} at {Address}: stream broke ({Error}); reconnecting in {Delay}")]
    private static partial void LogDisconnected(ILogger logger, string cluster, string address, string error, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Relay {Cluster}: {Count} events lost at {Source}")]
    private static partial void LogLostEvents(ILogger logger, string cluster, ulong count, string source);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Relay {Cluster}: skipped a message that could not be decoded: {Error}")]
    private static partial void LogUndecodable(ILogger logger, string cluster, string error);
}
