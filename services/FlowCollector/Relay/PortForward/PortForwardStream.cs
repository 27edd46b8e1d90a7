using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace LabNet.FlowCollector.Relay.PortForward;

/// <summary>
/// One forwarded connection over the Kubernetes API's port-forward WebSocket (<c>v4.channel.k8s.io</c>): channel 0
/// carries the data both ways, channel 1 the kubelet's error text; each channel's first message is the port number
/// (two bytes), which is skipped. An error from the kubelet (nothing listens on that port) fails the next read with
/// its words; the end of the WebSocket is the end of the stream.
/// </summary>
public sealed class PortForwardStream(WebSocket socket) : Stream
{
    public const string Protocol = "v4.channel.k8s.io";
    private const byte DataChannel = 0;
    private const byte ErrorChannel = 1;

    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly byte[] _receive = new byte[64 * 1024];
    private readonly bool[] _portSkipped = new bool[2];
    private readonly StringBuilder _error = new();
    private ReadOnlyMemory<byte> _pending;
    private int _channel = -1;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        while (_pending.IsEmpty)
        {
            if (socket.State is not (WebSocketState.Open or WebSocketState.CloseSent))
            {
                return End();
            }

            var result = await socket.ReceiveAsync(_receive.AsMemory(), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return End();
            }

            var payload = _receive.AsMemory(0, result.Count);
            if (_channel < 0 && !payload.IsEmpty)
            {
                _channel = payload.Span[0];
                payload = payload[1..];
            }

            if (_channel is DataChannel or ErrorChannel && !_portSkipped[_channel])
            {
                // The port prefix arrives as a message of its own; a fragment shorter than two bytes never happens.
                _portSkipped[_channel] = true;
                payload = payload.Length >= 2 ? payload[2..] : Memory<byte>.Empty;
            }

            if (_channel == DataChannel)
            {
                _pending = payload;
            }
            else if (_channel == ErrorChannel && !payload.IsEmpty)
            {
                _error.Append(Encoding.UTF8.GetString(payload.Span));
            }

            if (result.EndOfMessage)
            {
                _channel = -1;
                if (_error.Length > 0)
                {
                    throw new IOException($"port-forward failed: {_error}");
                }
            }
        }

        var count = Math.Min(buffer.Length, _pending.Length);
        _pending[..count].CopyTo(buffer);
        _pending = _pending[count..];
        return count;
    }

    public override async ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var frame = ArrayPool<byte>.Shared.Rent(buffer.Length + 1);
        frame[0] = DataChannel;
        buffer.CopyTo(frame.AsMemory(1));
        await _send.WaitAsync(cancellationToken);
        try
        {
            await socket.SendAsync(frame.AsMemory(0, buffer.Length + 1), WebSocketMessageType.Binary, endOfMessage: true, cancellationToken);
        }
        catch (WebSocketException ex)
        {
            throw new IOException($"port-forward connection lost: {ex.Message}", ex);
        }
        finally
        {
            _send.Release();
            ArrayPool<byte>.Shared.Return(frame);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override Task FlushAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public override void Flush()
    {
    }

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override async ValueTask DisposeAsync()
    {
        await CloseAsync();
        socket.Dispose();
        await base.DisposeAsync();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            socket.Abort();
            socket.Dispose();
        }

        base.Dispose(disposing);
    }

    private int End() => _error.Length > 0 ? throw new IOException($"port-forward failed: {_error}") : 0;

    private async Task CloseAsync()
    {
        try
        {
            // Sends the close frame only: the peer's answer is not awaited.
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
            }
        }
        catch (Exception e) when (e is WebSocketException or IOException)
        {
        }
    }
}
