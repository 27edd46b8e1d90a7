using System.Net;
using Google.Protobuf;
using Grpc.Core;
using LabNet.Hubble.ObserverApi;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace LabNet.FlowCollector.Tests.Relay;

/// <summary>
/// A hubble-relay stand-in built from the same proto: Kestrel on 127.0.0.1 (h2c) serving observer.Observer/GetFlows
/// over a flow buffer that outlives the server (as the agents' ring buffers outlive a relay restart).
/// </summary>
public sealed class FakeRelay : IAsyncDisposable
{
    private WebApplication? _app;

    public FakeRelayBuffer Buffer { get; } = new();

    public int Port { get; private set; }

    public Uri Address => new($"http://127.0.0.1:{Port}");

    public async Task StartAsync(int port = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(kestrel =>
            kestrel.Listen(IPAddress.Loopback, port, listen => listen.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc();
        builder.Services.AddSingleton(Buffer);
        _app = builder.Build();
        _app.MapGrpcService<FakeObserver>();
        await _app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var address = _app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.Single();
        Port = new Uri(address).Port;
    }

    /// <summary>Stops the server; streams in flight break with UNAVAILABLE, as when the relay pod dies.</summary>
    public async Task StopAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
            await _app.DisposeAsync();
            _app = null;
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    /// <summary>
    /// Serves GetFlows with a pass-through marshaller so a test can also put bytes that are not a valid
    /// GetFlowsResponse on the wire; bound the way generated services are (BindServiceMethod).
    /// </summary>
    [BindServiceMethod(typeof(FakeObserver), nameof(BindService))]
    private class FakeObserver(FakeRelayBuffer buffer, IHostApplicationLifetime lifetime)
    {
        private static readonly Method<GetFlowsRequest, byte[]> GetFlowsMethod = new(
            MethodType.ServerStreaming,
            "observer.Observer",
            "GetFlows",
            Marshallers.Create(request => request.ToByteArray(), GetFlowsRequest.Parser.ParseFrom),
            Marshallers.Create<byte[]>(payload => payload, payload => payload));

        // ASP.NET Core binds with a null instance and looks the handler up by name: a public virtual method of the
        // type that declares BindService (which is why this class is not sealed).
        public static void BindService(ServiceBinderBase binder, FakeObserver? service) =>
            binder.AddMethod(GetFlowsMethod, service is null ? null : service.GetFlows);

        public virtual async Task GetFlows(GetFlowsRequest request, IServerStreamWriter<byte[]> responseStream, ServerCallContext context)
        {
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.CancellationToken, lifetime.ApplicationStopping);
            await context.WriteResponseHeadersAsync([]);
            var since = request.Since?.ToDateTimeOffset();

            // follow without since starts at the end of the buffer (only new flows), as Hubble does.
            var (items, changed) = buffer.Snapshot();
            var index = request.Follow && since is null ? items.Count : 0;
            while (true)
            {
                for (; index < items.Count; index++)
                {
                    var item = items[index];
                    if (since is null || item.Time is null || item.Time >= since)
                    {
                        await responseStream.WriteAsync(item.Payload, stop.Token);
                    }
                }

                if (!request.Follow)
                {
                    return;
                }

                try
                {
                    await changed.WaitAsync(stop.Token);
                }
                catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
                {
                    throw new RpcException(new Status(StatusCode.Unavailable, "relay is shutting down"));
                }

                (items, changed) = buffer.Snapshot();
            }
        }
    }
}

/// <summary>The events the fake relay serves, in order; appending wakes every following stream.</summary>
public sealed class FakeRelayBuffer
{
    private readonly Lock _gate = new();
    private readonly List<(byte[] Payload, DateTimeOffset? Time)> _items = [];
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public void Add(params IEnumerable<GetFlowsResponse> responses) =>
        Append(responses.Select(r => (r.ToByteArray(), (DateTimeOffset?)r.Time?.ToDateTimeOffset())));

    /// <summary>Bytes served as they are, whatever the since filter (they have no time).</summary>
    public void AddRaw(byte[] payload) => Append([(payload, null)]);

    private void Append(IEnumerable<(byte[] Payload, DateTimeOffset? Time)> items)
    {
        TaskCompletionSource changed;
        lock (_gate)
        {
            _items.AddRange(items);
            changed = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.SetResult();
    }

    public (IReadOnlyList<(byte[] Payload, DateTimeOffset? Time)> Items, Task Changed) Snapshot()
    {
        lock (_gate)
        {
            return ([.. _items], _changed.Task);
        }
    }
}
