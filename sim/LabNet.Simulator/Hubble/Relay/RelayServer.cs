using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace LabNet.Simulator.Hubble.Relay;

/// <summary>One cluster's hubble-relay: the Observer API over h2c on its own loopback port.</summary>
public sealed class RelayServer(HubbleClusterFlows cluster, TimeProvider time, int port) : IAsyncDisposable
{
    private WebApplication? _app;

    public string ClusterName => cluster.ClusterName;

    /// <summary><c>http://127.0.0.1:PORT</c> while running.</summary>
    public Uri? Address { get; private set; }

    public bool IsRunning => _app is not null;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            return;
        }

        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(RelayServer).Assembly.GetName().Name });
        builder.Logging.AddFilter((_, level) => level >= LogLevel.Warning);

        // A relay restarted by a fault binds the same port again (it was fixed or picked at first start).
        var listenPort = Address?.Port ?? port;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, listenPort, o => o.Protocols = HttpProtocols.Http2));
        builder.Services.AddGrpc(o => o.MaxSendMessageSize = 4 << 20);
        builder.Services.AddSingleton(cluster);
        builder.Services.AddSingleton(time);
        var app = builder.Build();
        app.MapGrpcService<HubbleObserverService>();
        await app.StartAsync(cancellationToken);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri($"http://127.0.0.1:{new Uri(bound).Port}");
        _app = app;
    }

    /// <summary>Stops serving: open streams break, new connections are refused (the address is kept for a restart).</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        var app = Interlocked.Exchange(ref _app, null);
        if (app is not null)
        {
            await app.StopAsync(cancellationToken);
            await app.DisposeAsync();
        }
    }

    public async ValueTask DisposeAsync() => await StopAsync(CancellationToken.None);
}
