using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Threading.Channels;

namespace LabNet.Simulator.Pods.PortForward;

/// <summary>
/// The server side of a SPDY/3.1 connection, as far as port-forwarding needs it: the peer opens streams
/// (SYN_STREAM, answered with SYN_REPLY), data flows in DATA frames with FIN half-closes, PINGs are echoed,
/// RST_STREAM and GOAWAY end streams or the connection. Thread-safe for writers.
/// </summary>
public sealed class SpdyConnection(Stream transport)
{
    private const ushort Version = 3;
    private const byte FlagFin = 0x01;
    private readonly SemaphoreSlim _write = new(1, 1);
    private readonly SpdyHeaderCompression _inbound = new();
    private readonly SpdyHeaderCompression _outbound = new();
    private readonly ConcurrentDictionary<uint, SpdyStream> _streams = new();

    /// <summary>Streams the peer opened, with their headers.</summary>
    public Channel<SpdyStream> Opened { get; } = Channel.CreateUnbounded<SpdyStream>();

    /// <summary>Reads frames until the peer goes away; completes <see cref="Opened"/> then.</summary>
    public async Task RunAsync(CancellationToken cancellation)
    {
        var header = new byte[8];
        try
        {
            while (await ReadExactlyAsync(header, cancellation))
            {
                var length = (header[5] << 16) | (header[6] << 8) | header[7];
                var flags = header[4];
                var payload = new byte[length];
                if (length > 0 && !await ReadExactlyAsync(payload, cancellation))
                {
                    break;
                }

                if ((header[0] & 0x80) == 0)
                {
                    var id = BinaryPrimitives.ReadUInt32BigEndian(header) & 0x7FFFFFFF;
                    if (_streams.TryGetValue(id, out var stream))
                    {
                        stream.Received(payload, (flags & FlagFin) != 0);
                    }

                    continue;
                }

                var type = BinaryPrimitives.ReadUInt16BigEndian(header.AsSpan(2));
                switch (type)
                {
                    case 1: // SYN_STREAM
                    {
                        var id = BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7FFFFFFF;
                        var headers = _inbound.Decompress(payload.AsSpan(10));
                        var stream = new SpdyStream(this, id, headers);
                        _streams[id] = stream;
                        if ((flags & FlagFin) != 0)
                        {
                            stream.Received([], true);
                        }

                        await Opened.Writer.WriteAsync(stream, cancellation);
                        break;
                    }

                    case 3: // RST_STREAM
                    {
                        var id = BinaryPrimitives.ReadUInt32BigEndian(payload) & 0x7FFFFFFF;
                        if (_streams.TryRemove(id, out var stream))
                        {
                            stream.Received([], true);
                        }

                        break;
                    }

                    case 6: // PING: echo it
                        await WriteControlAsync(6, 0, payload, cancellation);
                        break;
                    case 7: // GOAWAY
                        return;
                    case 8: // HEADERS
                        _inbound.Decompress(payload.AsSpan(4));
                        break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or System.Net.WebSockets.WebSocketException)
        {
            // The peer went away: every stream ends with it.
        }
        finally
        {
            foreach (var stream in _streams.Values)
            {
                stream.Received([], true);
            }

            Opened.Writer.TryComplete();
        }
    }

    internal async Task ReplyAsync(uint id, CancellationToken cancellation)
    {
        var block = _outbound.Compress([]);
        var payload = new byte[4 + block.Length];
        BinaryPrimitives.WriteUInt32BigEndian(payload, id);
        block.CopyTo(payload, 4);
        await WriteControlAsync(2, 0, payload, cancellation);
    }

    internal async Task SendDataAsync(uint id, ReadOnlyMemory<byte> data, bool fin, CancellationToken cancellation)
    {
        var frame = new byte[8 + data.Length];
        BinaryPrimitives.WriteUInt32BigEndian(frame, id & 0x7FFFFFFF);
        frame[4] = fin ? FlagFin : (byte)0;
        frame[5] = (byte)(data.Length >> 16);
        frame[6] = (byte)(data.Length >> 8);
        frame[7] = (byte)data.Length;
        data.CopyTo(frame.AsMemory(8));
        await WriteAsync(frame, cancellation);
        if (fin && _streams.TryGetValue(id, out var stream) && stream.RemoteClosed)
        {
            _streams.TryRemove(id, out _);
        }
    }

    private async Task WriteControlAsync(ushort type, byte flags, byte[] payload, CancellationToken cancellation)
    {
        var frame = new byte[8 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(frame, (ushort)(0x8000 | Version));
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), type);
        frame[4] = flags;
        frame[5] = (byte)(payload.Length >> 16);
        frame[6] = (byte)(payload.Length >> 8);
        frame[7] = (byte)payload.Length;
        payload.CopyTo(frame, 8);
        await WriteAsync(frame, cancellation);
    }

    private async Task WriteAsync(byte[] frame, CancellationToken cancellation)
    {
        await _write.WaitAsync(cancellation);
        try
        {
            await transport.WriteAsync(frame, cancellation);
            await transport.FlushAsync(cancellation);
        }
        finally
        {
            _write.Release();
        }
    }

    private async Task<bool> ReadExactlyAsync(byte[] buffer, CancellationToken cancellation)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await transport.ReadAsync(buffer.AsMemory(read), cancellation);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}

/// <summary>One stream the peer opened: its headers and the data it sends (ending at its FIN).</summary>
public sealed class SpdyStream(SpdyConnection connection, uint id, IReadOnlyList<KeyValuePair<string, string>> headers)
{
    private readonly Channel<byte[]> _incoming = Channel.CreateUnbounded<byte[]>();

    public uint Id { get; } = id;

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; } = headers;

    public bool RemoteClosed { get; private set; }

    public string? Header(string name) => Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    /// <summary>What the peer sends, chunk by chunk, until it half-closes.</summary>
    public IAsyncEnumerable<byte[]> ReadAllAsync(CancellationToken cancellation) => _incoming.Reader.ReadAllAsync(cancellation);

    public Task ReplyAsync(CancellationToken cancellation) => connection.ReplyAsync(Id, cancellation);

    public Task WriteAsync(ReadOnlyMemory<byte> data, CancellationToken cancellation) => connection.SendDataAsync(Id, data, false, cancellation);

    public Task CloseAsync(CancellationToken cancellation) => connection.SendDataAsync(Id, ReadOnlyMemory<byte>.Empty, true, cancellation);

    internal void Received(byte[] data, bool fin)
    {
        if (data.Length > 0)
        {
            _incoming.Writer.TryWrite(data);
        }

        if (fin)
        {
            RemoteClosed = true;
            _incoming.Writer.TryComplete();
        }
    }
}
