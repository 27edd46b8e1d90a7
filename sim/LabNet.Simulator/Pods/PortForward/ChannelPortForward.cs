using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;

namespace LabNet.Simulator.Pods.PortForward;

/// <summary>
/// <c>pods/portforward</c> over the WebSocket channel protocol (<c>v4.channel.k8s.io</c>), as the kubelet serves it to
/// clients such as the Kubernetes client libraries: the ports come from the <c>ports</c> query parameter, each port gets
/// a data channel (2n) and an error channel (2n+1), and the first message on each channel is the port as an unsigned
/// 16-bit little-endian number. The connection ends when every forwarded port's connection has ended.
/// </summary>
internal sealed class ChannelPortForward(WebSocket socket)
{
    public const string Protocol = "v4.channel.k8s.io";

    private readonly SemaphoreSlim _send = new(1, 1);

    /// <summary>
    /// The ports of the API's <c>?ports=4245</c> (repeated or comma separated; the API server hands them to the kubelet as
    /// <c>port</c>), or the kubelet's words for what is wrong.
    /// </summary>
    public static (IReadOnlyList<int> Ports, string? Error) ParsePorts(IEnumerable<string?> values)
    {
        var strings = values.Where(v => v is not null).Select(v => v!).ToList();
        if (strings.Count == 0)
        {
            return ([], "query parameter \"port\" is required");
        }

        var ports = new List<int>();
        foreach (var value in strings)
        {
            foreach (var part in value.Split(','))
            {
                if (!ushort.TryParse(part, out var port) || port < 1)
                {
                    return ([], $"unable to parse \"{value}\" as a port");
                }

                ports.Add(port);
            }
        }

        return (ports, null);
    }

    /// <summary>Forwards each port to what <paramref name="connect"/> returns (null: nothing listens there).</summary>
    public async Task RunAsync(IReadOnlyList<int> ports, Func<int, CancellationToken, Task<TcpClient?>> connect, Func<int, string> refused, CancellationToken cancellation)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        for (var i = 0; i < ports.Count; i++)
        {
            var prefix = new byte[2];
            BinaryPrimitives.WriteUInt16LittleEndian(prefix, (ushort)ports[i]);
            await SendAsync((byte)(2 * i), prefix, stop.Token);
            await SendAsync((byte)(2 * i + 1), prefix, stop.Token);
        }

        var connections = new TcpClient?[ports.Count];
        var forwards = new List<Task>();
        for (var i = 0; i < ports.Count; i++)
        {
            connections[i] = await connect(ports[i], stop.Token);
            if (connections[i] is null)
            {
                await SendAsync((byte)(2 * i + 1), Encoding.UTF8.GetBytes(refused(ports[i])), stop.Token);
                continue;
            }

            forwards.Add(PumpToClientAsync((byte)(2 * i), connections[i]!.GetStream(), stop.Token));
        }

        var receiving = ReceiveAsync(connections, stop.Token);
        try
        {
            // The kubelet closes the connection once every port's forward has ended (here: the pod side closed it).
            await Task.WhenAny(Task.WhenAll(forwards), receiving);
        }
        finally
        {
            await stop.CancelAsync();
            foreach (var connection in connections)
            {
                connection?.Dispose();
            }

            await Task.WhenAll(forwards.Append(receiving)).ContinueWith(_ => { }, TaskScheduler.Default);
            await CloseAsync();
        }
    }

    private async Task ReceiveAsync(TcpClient?[] connections, CancellationToken cancellation)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            var channel = -1;
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), cancellation);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }

                var payload = buffer.AsMemory(0, result.Count);
                if (channel < 0 && payload.Length > 0)
                {
                    channel = payload.Span[0];
                    payload = payload[1..];
                }

                // Writes go to a port's data channel; anything else (its error channel is the server's) is ignored.
                if (channel >= 0 && channel % 2 == 0 && channel / 2 < connections.Length && connections[channel / 2] is { } tcp && payload.Length > 0)
                {
                    await tcp.GetStream().WriteAsync(payload, cancellation);
                }

                if (result.EndOfMessage)
                {
                    channel = -1;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task PumpToClientAsync(byte channel, NetworkStream network, CancellationToken cancellation)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(32 * 1024);
        try
        {
            int read;
            while ((read = await network.ReadAsync(buffer.AsMemory(0, buffer.Length), cancellation)) > 0)
            {
                await SendAsync(channel, buffer.AsMemory(0, read), cancellation);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException or WebSocketException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task SendAsync(byte channel, ReadOnlyMemory<byte> payload, CancellationToken cancellation)
    {
        var frame = ArrayPool<byte>.Shared.Rent(payload.Length + 1);
        frame[0] = channel;
        payload.CopyTo(frame.AsMemory(1));
        await _send.WaitAsync(cancellation);
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                await socket.SendAsync(frame.AsMemory(0, payload.Length + 1), WebSocketMessageType.Binary, endOfMessage: true, cancellation);
            }
        }
        finally
        {
            _send.Release();
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    private async Task CloseAsync()
    {
        await _send.WaitAsync();
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException or ObjectDisposedException)
        {
        }
        finally
        {
            _send.Release();
        }
    }
}
