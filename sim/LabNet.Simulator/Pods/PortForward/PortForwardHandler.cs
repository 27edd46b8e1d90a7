using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using LabNet.Simulator.Hubble;
using LabNet.Simulator.Kubernetes;
using Microsoft.AspNetCore.Http.Features;

namespace LabNet.Simulator.Pods.PortForward;

/// <summary>
/// <c>pods/portforward</c>: SPDY/3.1 with the <c>portforward.k8s.io</c> protocol, either tunneled in a WebSocket
/// (<c>SPDY/3.1+portforward.k8s.io</c>, kubectl 1.31+) or on the upgraded connection, and the WebSocket channel protocol
/// (<c>v4.channel.k8s.io</c>, the client libraries') in <see cref="ChannelPortForward"/>. Each forwarded connection is a
/// pair of streams (error, data) sharing a request id; the data stream is joined to what listens on that port in the
/// pod. In the twin, the pods that really listen on loopback are the Hubble relays (<c>hubble-relay</c>, port 4245);
/// any other port is refused as by a pod where nothing listens.
/// </summary>
public sealed class PortForwardHandler(ClusterApiRegistry registry, IServiceProvider services, ILogger<PortForwardHandler> logger)
{
    public const string TunnelProtocol = "SPDY/3.1+portforward.k8s.io";

    public async Task HandleAsync(HttpContext context, string clusterName, string ns, string name)
    {

        var cluster = registry.FindApi(clusterName);
        if (cluster is null || !cluster.Availability.Serving)
        {
            context.Abort();
            return;
        }

        var pod = cluster.Get("v1", "Pod", ns, name);
        if (pod is null)
        {
            await WriteStatusAsync(context, new KubernetesApiException(404, "NotFound", $"pods \"{name}\" not found", new JsonObject { ["name"] = name, ["kind"] = "pods" }));
            return;
        }

        if (context.WebSockets.IsWebSocketRequest && context.WebSockets.WebSocketRequestedProtocols.Contains(ChannelPortForward.Protocol)
            && !context.WebSockets.WebSocketRequestedProtocols.Contains(TunnelProtocol))
        {
            await ForwardChannelsAsync(context, cluster, pod, clusterName, ns, name);
            return;
        }

        Stream transport;
        WebSocket? socket = null;
        if (context.WebSockets.IsWebSocketRequest && context.WebSockets.WebSocketRequestedProtocols.Contains(TunnelProtocol))
        {
            // .NET refuses '/' in a subprotocol token, which Kubernetes' tunneling protocol name has: answer it by hand.
            context.Response.Headers.SecWebSocketProtocol = TunnelProtocol;
            socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { KeepAliveInterval = TimeSpan.FromSeconds(20) });
            transport = WebSocketStream.Create(socket, WebSocketMessageType.Binary, ownsWebSocket: false);
        }
        else if (context.Features.Get<IHttpUpgradeFeature>() is { IsUpgradableRequest: true } upgrade
            && context.Request.Headers.Upgrade.ToString().Contains("SPDY/3.1", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.Headers["X-Stream-Protocol-Version"] = "portforward.k8s.io";
            context.Response.Headers.Connection = "Upgrade";
            context.Response.Headers.Upgrade = "SPDY/3.1";
            transport = await upgrade.UpgradeAsync();
        }
        else
        {
            await WriteStatusAsync(context, KubernetesApiException.BadRequest("Upgrade request required"));
            return;
        }

        logger.LogInformation("port-forward to pod {Namespace}/{Pod} in cluster {Cluster}", ns, name, clusterName);
        var connection = new SpdyConnection(transport);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        var reading = connection.RunAsync(stop.Token);
        var pending = new Dictionary<string, (SpdyStream? Error, SpdyStream? Data)>(StringComparer.Ordinal);
        var forwards = new List<Task>();
        try
        {
            await foreach (var stream in connection.Opened.Reader.ReadAllAsync(stop.Token))
            {
                await stream.ReplyAsync(stop.Token);
                var requestId = stream.Header("requestid") ?? "";
                var pair = pending.GetValueOrDefault(requestId);
                pair = stream.Header("streamtype") == "error" ? pair with { Error = stream } : pair with { Data = stream };
                if (pair is { Error: { } error, Data: { } data })
                {
                    pending.Remove(requestId);
                    forwards.Add(ForwardAsync(cluster, pod, error, data, stop.Token));
                }
                else
                {
                    pending[requestId] = pair;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(forwards.Append(reading)).ContinueWith(_ => { }, TaskScheduler.Default);
            if (socket is { State: WebSocketState.Open })
            {
                try
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                }
                catch (WebSocketException)
                {
                }
            }
        }
    }

    // The WebSocket channel protocol the client libraries speak: one WebSocket per forwarded connection.
    private async Task ForwardChannelsAsync(HttpContext context, ClusterApi cluster, JsonObject pod, string clusterName, string ns, string name)
    {
        var (ports, error) = ChannelPortForward.ParsePorts(context.Request.Query["ports"]);
        if (error is not null)
        {
            await WriteStatusAsync(context, KubernetesApiException.BadRequest(error));
            return;
        }

        logger.LogInformation("port-forward (WebSocket channels) to pod {Namespace}/{Pod} port {Ports} in cluster {Cluster}", ns, name, string.Join(",", ports), clusterName);
        using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = ChannelPortForward.Protocol, KeepAliveInterval = TimeSpan.FromSeconds(20) });
        await new ChannelPortForward(socket).RunAsync(
            ports,
            async (port, cancellation) =>
            {
                var target = Listener(cluster, pod, port);
                if (target is null)
                {
                    return null;
                }

                var tcp = new TcpClient();
                try
                {
                    await tcp.ConnectAsync(target.Host, target.Port, cancellation);
                    return tcp;
                }
                catch (SocketException)
                {
                    tcp.Dispose();
                    return null;
                }
            },
            port => RefusedMessage(pod, port),
            context.RequestAborted);
    }

    private static string RefusedMessage(JsonObject pod, int port)
    {
        var uid = pod["metadata"]!["uid"]!.GetValue<string>();
        return $"error forwarding port {port} to pod {uid}, uid : failed to execute portforward in network namespace \"/var/run/netns/cni-{uid}\": failed to connect to localhost:{port} inside namespace \"{uid}\", IPv4: dial tcp4 127.0.0.1:{port}: connect: connection refused IPv6 dial tcp6 [::1]:{port}: connect: connection refused ";
    }

    private async Task ForwardAsync(ClusterApi cluster, JsonObject pod, SpdyStream error, SpdyStream data, CancellationToken cancellation)
    {
        var port = int.TryParse(data.Header("port"), out var p) ? p : 0;
        var podName = pod["metadata"]!["name"]!.GetValue<string>();
        var target = Listener(cluster, pod, port);
        using var tcp = new TcpClient();
        try
        {
            if (target is null)
            {
                throw new SocketException((int)SocketError.ConnectionRefused);
            }

            await tcp.ConnectAsync(target.Host, target.Port, cancellation);
        }
        catch (SocketException)
        {
            var message = RefusedMessage(pod, port);
            logger.LogInformation("port-forward to {Pod}:{Port} refused: nothing listens there in the twin", podName, port);
            await error.WriteAsync(System.Text.Encoding.UTF8.GetBytes(message), cancellation);
            await error.CloseAsync(cancellation);
            await data.CloseAsync(cancellation);
            return;
        }

        var network = tcp.GetStream();
        var upstream = Task.Run(async () =>
        {
            await foreach (var chunk in data.ReadAllAsync(cancellation))
            {
                await network.WriteAsync(chunk, cancellation);
            }

            tcp.Client.Shutdown(SocketShutdown.Send);
        }, cancellation);
        var buffer = new byte[32 * 1024];
        try
        {
            int read;
            while ((read = await network.ReadAsync(buffer, cancellation)) > 0)
            {
                await data.WriteAsync(buffer.AsMemory(0, read), cancellation);
            }

            await data.CloseAsync(cancellation);
            await error.CloseAsync(cancellation);
            await upstream.WaitAsync(TimeSpan.FromSeconds(5), cancellation).ContinueWith(_ => { }, TaskScheduler.Default);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException)
        {
        }
    }

    /// <summary>What listens on <paramref name="port"/> in the pod, on the simulator's loopback; null when nothing does.</summary>
    private Uri? Listener(ClusterApi cluster, JsonObject pod, int port)
    {
        var app = pod["metadata"]?["labels"]?["k8s-app"]?.GetValue<string>();
        return app == "hubble-relay" && port == 4245 ? services.GetService<HubbleRelays>()?.AddressOf(cluster.Bootstrap.Name) : null;
    }

    private static async Task WriteStatusAsync(HttpContext context, KubernetesApiException error)
    {
        context.Response.StatusCode = error.Code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(error.ToStatus().ToJsonString());
    }
}
