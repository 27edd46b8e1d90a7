using System.Diagnostics;
using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Options;

namespace LabNet.Simulator.Hubble.Relay;

/// <summary>
/// One cluster's hubble-relay: the Observer API over h2c on its own loopback port. A bare Kestrel server with its own
/// small service provider rather than a second host: hosts built inside the simulator's process would be visible to
/// anything that watches host construction (WebApplicationFactory in tests does).
/// </summary>
public sealed class RelayServer(HubbleClusterFlows cluster, TimeProvider time, int port) : IAsyncDisposable
{
    private KestrelServer? _server;
    private ServiceProvider? _services;
    private DiagnosticListener? _diagnostics;

    public string ClusterName => cluster.ClusterName;

    /// <summary><c>http://127.0.0.1:PORT</c> (kept while stopped, for a restart on the same port).</summary>
    public Uri? Address { get; private set; }

    public bool IsRunning => _server is not null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_server is not null)
        {
            return;
        }

        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddFilter((_, level) => level >= LogLevel.Warning));
        services.AddSingleton(cluster);
        services.AddSingleton(time);
        var diagnostics = new DiagnosticListener("LabNet.Simulator.Hubble.Relay");
        services.AddSingleton(diagnostics);
        services.AddSingleton<DiagnosticSource>(diagnostics);
        services.AddRouting();
        services.AddGrpc(o => o.MaxSendMessageSize = 4 << 20);
        var provider = services.BuildServiceProvider();

        var app = new ApplicationBuilder(provider);
        app.UseRouting();
        app.UseEndpoints(endpoints => endpoints.MapGrpcService<HubbleObserverService>());
        var pipeline = app.Build();

        // A relay restarted by a fault binds the same port again (it was fixed or picked at first start).
        var kestrelOptions = new KestrelServerOptions { ApplicationServices = provider };
        kestrelOptions.Listen(IPAddress.Loopback, Address?.Port ?? port, o => o.Protocols = HttpProtocols.Http2);
        var loggers = provider.GetRequiredService<ILoggerFactory>();
        var server = new KestrelServer(Options.Create(kestrelOptions), new SocketTransportFactory(Options.Create(new SocketTransportOptions()), loggers), loggers);
        await server.StartAsync(new RelayApplication(pipeline, provider), cancellationToken);
        var bound = server.Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri($"http://127.0.0.1:{new Uri(bound).Port}");
        _services = provider;
        _diagnostics = diagnostics;
        _server = server;
    }

    /// <summary>Stops serving: open streams break, new connections are refused.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var server = Interlocked.Exchange(ref _server, null);
        if (server is not null)
        {
            // A killed process does not drain: an already-cancelled token makes Kestrel abort the open GetFlows streams
            // (a graceful stop would wait for followers that never end).
            using var kill = new CancellationTokenSource();
            await kill.CancelAsync();
            await server.StopAsync(kill.Token).WaitAsync(cancellationToken);
            server.Dispose();
        }

        var services = Interlocked.Exchange(ref _services, null);
        if (services is not null)
        {
            await services.DisposeAsync();
        }

        Interlocked.Exchange(ref _diagnostics, null)?.Dispose();
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);

    /// <summary>Runs each request through the relay's pipeline with its own service scope.</summary>
    private sealed class RelayApplication(RequestDelegate pipeline, IServiceProvider services) : IHttpApplication<HttpContext>
    {
        public HttpContext CreateContext(IFeatureCollection contextFeatures)
        {
            var context = new DefaultHttpContext(contextFeatures);
            context.RequestServices = services.CreateScope().ServiceProvider;
            return context;
        }

        public Task ProcessRequestAsync(HttpContext context) => pipeline(context);

        public void DisposeContext(HttpContext context, Exception? exception)
        {
            (context.RequestServices as IDisposable)?.Dispose();
        }
    }
}
