using System.Net;
using System.Net.Sockets;
using System.Text;

namespace LabNet.Simulator.Tests.Shims;

/// <summary>
/// One loopback HTTP connection whose answer the test writes byte by byte: how a shim copes with what Kestrel may
/// legitimately do on the wire (a frame cut anywhere, a pause between frames, an error status, an early close), which
/// the simulator itself cannot be made to do on purpose.
/// </summary>
public sealed class ScriptedHttpPeer : IAsyncDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private TcpClient? _connection;

    public ScriptedHttpPeer() => _listener.Start();

    public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";

    /// <summary>Accepts the shim's connection and reads its whole request (headers and Content-Length bytes of body).</summary>
    public async Task<string> ReceiveRequestAsync()
    {
        _connection = await _listener.AcceptTcpClientAsync().WaitAsync(Timeout);
        var stream = _connection.GetStream();
        var received = new List<byte>();
        var buffer = new byte[4096];
        while (true)
        {
            var text = Encoding.UTF8.GetString(received.ToArray());
            var headEnd = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            if (headEnd >= 0)
            {
                var length = text[..headEnd].Split("\r\n")
                    .Where(line => line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                    .Select(line => int.Parse(line["Content-Length:".Length..].Trim()))
                    .Single();
                if (received.Count >= Encoding.UTF8.GetByteCount(text[..(headEnd + 4)]) + length)
                {
                    return text;
                }
            }

            var read = await stream.ReadAsync(buffer).AsTask().WaitAsync(Timeout);
            Assert.NotEqual(0, read);
            received.AddRange(buffer.AsSpan(0, read));
        }
    }

    public Task SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    public async Task SendAsync(ReadOnlyMemory<byte> bytes)
    {
        var stream = _connection!.GetStream();
        await stream.WriteAsync(bytes).AsTask().WaitAsync(Timeout);
        await stream.FlushAsync().WaitAsync(Timeout);
    }

    /// <summary>Ends the response the way an HTTP/1.0 response ends: by closing the connection.</summary>
    public void Close() => _connection?.Close();

    public ValueTask DisposeAsync()
    {
        _connection?.Dispose();
        _listener.Stop();
        return ValueTask.CompletedTask;
    }
}
