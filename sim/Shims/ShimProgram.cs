// A LabNet tool shim (tart, ssh, sshpass or helm: the assembly name says which). It is deliberately dumb: argv, stdin,
// the working directory and the few environment variables the real tool reads go to the simulator; stdout, stderr and
// the exit code come back and are reproduced. All tool semantics live in the simulator.
//
// A lab apply runs a few hundred tool calls, each a fresh process, so start-up is what a shim costs. HttpClient is not
// used: its handler and async machinery took ~160 ms of CPU per call to JIT and start, against ~55 ms for a bare
// runtime start. One blocking loopback socket and one HTTP/1.0 request do the same job. HTTP/1.0 because the server
// then sends the body unchunked and ends it by closing the connection (Kestrel does, for a streamed response), so the
// body is simply everything up to end of stream.
using System.Net;
using System.Net.Sockets;
using System.Reflection;
using System.Text;
using System.Text.Json;

var tool = Assembly.GetEntryAssembly()?.GetName().Name ?? "shim";
var simulator = Environment.GetEnvironmentVariable("LABNET_SIMULATOR_URL");
if (string.IsNullOrWhiteSpace(simulator))
{
    Console.Error.WriteLine($"{tool}: LABNET_SIMULATOR_URL is not set. This '{tool}' is the LabNet simulation shim; set LABNET_SIMULATOR_URL to the simulator (e.g. http://127.0.0.1:5200), or put the real {tool} first on PATH.");
    return 255;
}

if (!Uri.TryCreate(simulator, UriKind.Absolute, out var url) || url.Scheme != Uri.UriSchemeHttp)
{
    Console.Error.WriteLine($"{tool}: LABNET_SIMULATOR_URL is '{simulator}', which is not an http:// URL. Set it to the simulator's address, e.g. http://127.0.0.1:5200.");
    return 255;
}

// The real tart never reads stdin; ssh and helm do (a script for 'bash -s', values for '-f -').
var stdin = tool != "tart" && Console.IsInputRedirected ? Console.In.ReadToEnd() : "";

var body = new MemoryStream();
using (var json = new Utf8JsonWriter(body))
{
    json.WriteStartObject();
    json.WriteStartArray("argv");
    foreach (var arg in args)
    {
        json.WriteStringValue(arg);
    }

    json.WriteEndArray();
    json.WriteString("stdin", stdin);
    json.WriteString("cwd", Environment.CurrentDirectory);
    json.WriteStartObject("env");
    // SSHPASS is sshpass's to read, not ssh's: a real ssh never takes a password from the environment.
    foreach (var name in tool == "sshpass" ? ["HOME", "SSHPASS"] : new[] { "HOME", "KUBECONFIG", "HELM_NAMESPACE", "HELM_KUBECONTEXT" })
    {
        if (Environment.GetEnvironmentVariable(name) is { } value)
        {
            json.WriteString(name, value);
        }
    }

    json.WriteEndObject();
    json.WriteEndObject();
}

var head = Encoding.ASCII.GetBytes(
    $"POST {url.AbsolutePath.TrimEnd('/')}/tools/{tool} HTTP/1.0\r\nHost: {url.Authority}\r\n" +
    $"Content-Type: application/json\r\nContent-Length: {body.Length}\r\n\r\n");

// Loopback only: a direct connection (never a proxy), and no timeout (tart run lasts as long as its VM).
using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
var buffer = new byte[64 * 1024];
int filled;
int status;
try
{
    socket.Connect(IPAddress.TryParse(url.DnsSafeHost, out var address) ? new IPEndPoint(address, url.Port) : new DnsEndPoint(url.DnsSafeHost, url.Port));
    socket.Send([.. head, .. body.ToArray()]);

    // The status line and headers, up to the blank line.
    filled = 0;
    int headEnd;
    while ((headEnd = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8)) < 0)
    {
        if (Receive(socket, ref buffer, ref filled) == 0)
        {
            throw new IOException("the response ended before its headers did");
        }
    }

    // "HTTP/1.1 200 OK": the three digits after the first space.
    var statusLine = Encoding.ASCII.GetString(buffer, 0, buffer.AsSpan(0, headEnd).IndexOf("\r\n"u8) is var eol and >= 0 ? eol : headEnd);
    if (statusLine.Split(' ') is not [_, var code, ..] || !int.TryParse(code, out status))
    {
        throw new IOException($"the response does not start with an HTTP status line: '{statusLine}'");
    }

    filled -= headEnd + 4;
    Array.Copy(buffer, headEnd + 4, buffer, 0, filled);
}
catch (Exception ex) when (ex is SocketException or IOException)
{
    Console.Error.WriteLine($"{tool}: cannot reach the LabNet simulator at {simulator}: {ex.Message}");
    return 255;
}

try
{
    if (status is < 200 or > 299)
    {
        while (Receive(socket, ref buffer, ref filled) > 0)
        {
        }

        Console.Error.WriteLine($"{tool}: the LabNet simulator at {simulator} answered {status}: {Encoding.UTF8.GetString(buffer, 0, filled)}");
        return 255;
    }

    // One JSON frame per line, written out as it arrives; a frame may come in several pieces.
    var stdout = Console.OpenStandardOutput();
    var stderr = Console.OpenStandardError();
    while (true)
    {
        int newline;
        while ((newline = buffer.AsSpan(0, filled).IndexOf((byte)'\n')) >= 0)
        {
            var reader = new Utf8JsonReader(buffer.AsSpan(0, newline));
            reader.Read();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var stream = reader.ValueTextEquals("o"u8) ? stdout : reader.ValueTextEquals("e"u8) ? stderr : null;
                var isExit = reader.ValueTextEquals("x"u8);
                reader.Read();
                if (isExit)
                {
                    return reader.GetInt32();
                }

                if (stream is null)
                {
                    reader.Skip();
                }
                else if (reader.GetString() is { Length: > 0 } text)
                {
                    stream.Write(Encoding.UTF8.GetBytes(text));
                    stream.Flush();
                }
            }

            filled -= newline + 1;
            Array.Copy(buffer, newline + 1, buffer, 0, filled);
        }

        if (Receive(socket, ref buffer, ref filled) == 0)
        {
            Console.Error.WriteLine($"{tool}: the LabNet simulator at {simulator} closed the connection before the command finished");
            return 255;
        }
    }
}
catch (SocketException ex)
{
    Console.Error.WriteLine($"{tool}: lost the connection to the LabNet simulator at {simulator}: {ex.Message}");
    return 255;
}

// Appends what the socket has (blocking until something comes) after the first `filled` bytes, growing the buffer
// when it is full; 0 at end of stream.
static int Receive(Socket socket, ref byte[] buffer, ref int filled)
{
    if (filled == buffer.Length)
    {
        Array.Resize(ref buffer, buffer.Length * 2);
    }

    var read = socket.Receive(buffer, filled, buffer.Length - filled, SocketFlags.None);
    filled += read;
    return read;
}
