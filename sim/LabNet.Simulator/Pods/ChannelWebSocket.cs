using System.Net.WebSockets;
using System.Text;

namespace LabNet.Simulator.Pods;

/// <summary>
/// The Kubernetes streaming protocol over WebSocket (<c>v5.channel.k8s.io</c>, <c>v4.channel.k8s.io</c>), server side:
/// every binary message starts with its channel byte (0 stdin, 1 stdout, 2 stderr, 3 error/status, 4 resize);
/// v5 adds the close signal, a message <c>[255, channel]</c> that half-closes one stream (kubectl sends it when its
/// stdin ends). The status on channel 3 is a metav1.Status; the connection then closes normally.
/// </summary>
public sealed class ChannelWebSocket
{
    public const string V5 = "v5.channel.k8s.io";
    public const string V4 = "v4.channel.k8s.io";
    public const byte Stdin = 0;
    public const byte Stdout = 1;
    public const byte Stderr = 2;
    public const byte Error = 3;
    public const byte Resize = 4;
    public const byte Close = 255;

    private static readonly string[] Supported = [V5, V4];
    private readonly WebSocket _socket;
    private readonly SemaphoreSlim _send = new(1, 1);
    private readonly MemoryStream _stdin = new();
    private readonly TaskCompletionSource _stdinClosed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _clientGone = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly System.Threading.Channels.Channel<string> _stdinChunks = System.Threading.Channels.Channel.CreateUnbounded<string>();

    private ChannelWebSocket(WebSocket socket, string protocol)
    {
        _socket = socket;
        Protocol = protocol;
    }

    public string Protocol { get; }

    /// <summary>Completes when the client's stdin ends (close signal or connection closed).</summary>
    public Task StdinClosed => _stdinClosed.Task;

    /// <summary>Completes when the client closes the connection or it breaks.</summary>
    public Task ClientGone => _clientGone.Task;

    /// <summary>stdin as it arrives (keystrokes, for an interactive shell on a terminal); ends with the stream.</summary>
    public IAsyncEnumerable<string> StdinChunks(CancellationToken cancellation) => _stdinChunks.Reader.ReadAllAsync(cancellation);

    public string StdinText
    {
        get
        {
            lock (_stdin)
            {
                return Encoding.UTF8.GetString(_stdin.ToArray());
            }
        }
    }

    /// <summary>The subprotocol to answer with, null when the client offers none the simulator speaks.</summary>
    public static string? Negotiate(HttpContext context) =>
        Supported.FirstOrDefault(p => context.WebSockets.WebSocketRequestedProtocols.Contains(p, StringComparer.Ordinal));

    public static async Task<ChannelWebSocket> AcceptAsync(HttpContext context, string protocol)
    {
        var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext { SubProtocol = protocol, KeepAliveInterval = TimeSpan.FromSeconds(20) });
        var channel = new ChannelWebSocket(socket, protocol);
        _ = Task.Run(channel.ReceiveLoopAsync);
        return channel;
    }

    public async Task SendAsync(byte channel, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var frame = new byte[bytes.Length + 1];
        frame[0] = channel;
        bytes.CopyTo(frame, 1);
        await _send.WaitAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.SendAsync(frame, WebSocketMessageType.Binary, true, CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
            _clientGone.TrySetResult();
        }
        finally
        {
            _send.Release();
        }
    }

    /// <summary>A writer whose every write becomes one message on <paramref name="channel"/>.</summary>
    public TextWriter Writer(byte channel) => new ChannelWriter(this, channel);

    /// <summary>Sends the final status and closes the connection normally.</summary>
    public async Task FinishAsync(string statusJson)
    {
        await SendAsync(Error, statusJson);
        await _send.WaitAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            _send.Release();
        }

        // Give the client a moment to answer the close handshake before the request ends.
        await Task.WhenAny(_clientGone.Task, Task.Delay(TimeSpan.FromSeconds(2)));
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[16 * 1024];
        try
        {
            while (_socket.State is WebSocketState.Open or WebSocketState.CloseSent)
            {
                using var message = new MemoryStream();
                WebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer, CancellationToken.None);
                    message.Write(buffer, 0, result.Count);
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                var data = message.ToArray();
                if (data.Length == 0)
                {
                    continue;
                }

                switch (data[0])
                {
                    case Stdin:
                        lock (_stdin)
                        {
                            _stdin.Write(data, 1, data.Length - 1);
                        }

                        _stdinChunks.Writer.TryWrite(Encoding.UTF8.GetString(data, 1, data.Length - 1));
                        break;
                    case Close when data.Length > 1 && data[1] == Stdin:
                        _stdinClosed.TrySetResult();
                        _stdinChunks.Writer.TryComplete();
                        break;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            _stdinClosed.TrySetResult();
            _stdinChunks.Writer.TryComplete();
            _clientGone.TrySetResult();
        }
    }

    private sealed class ChannelWriter(ChannelWebSocket socket, byte channel) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => Write(value.ToString());

        public override void Write(string? value)
        {
            if (!string.IsNullOrEmpty(value))
            {
                socket.SendAsync(channel, value).GetAwaiter().GetResult();
            }
        }

        public override void Write(char[] buffer, int index, int count) => Write(new string(buffer, index, count));

        public override void WriteLine(string? value) => Write(value + "\n");

        public override Task WriteAsync(string? value) =>
            string.IsNullOrEmpty(value) ? Task.CompletedTask : socket.SendAsync(channel, value);

        public override Task WriteAsync(char value) => WriteAsync(value.ToString());

        public override Task WriteLineAsync(string? value) => WriteAsync(value + "\n");
    }
}
