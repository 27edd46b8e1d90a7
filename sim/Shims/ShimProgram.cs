// A LabNet tool shim (tart, ssh or helm: the assembly name says which). It is deliberately dumb: argv, stdin, the
// working directory and the few environment variables the real tool reads go to the simulator; stdout, stderr and the
// exit code come back and are reproduced. All tool semantics live in the simulator.
using System.Net;
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

// The real tart never reads stdin; ssh and helm do (a script for 'bash -s', values for '-f -').
var stdin = tool != "tart" && Console.IsInputRedirected ? await Console.In.ReadToEndAsync() : "";

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

// Loopback only: never through a proxy, never a timeout (tart run lasts as long as its VM).
using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AutomaticDecompression = DecompressionMethods.None })
{
    Timeout = Timeout.InfiniteTimeSpan,
};

var stdout = Console.OpenStandardOutput();
var stderr = Console.OpenStandardError();
try
{
    using var request = new HttpRequestMessage(HttpMethod.Post, simulator.TrimEnd('/') + "/tools/" + tool)
    {
        Content = new ByteArrayContent(body.ToArray()) { Headers = { { "Content-Type", "application/json" } } },
    };
    using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
    if (!response.IsSuccessStatusCode)
    {
        Console.Error.WriteLine($"{tool}: the LabNet simulator at {simulator} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return 255;
    }

    using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(), Encoding.UTF8);
    while (await reader.ReadLineAsync() is { } line)
    {
        var frame = JsonDocument.Parse(line).RootElement;
        foreach (var property in frame.EnumerateObject())
        {
            switch (property.Name)
            {
                case "o":
                    await WriteAsync(stdout, property.Value.GetString());
                    break;
                case "e":
                    await WriteAsync(stderr, property.Value.GetString());
                    break;
                case "x":
                    return property.Value.GetInt32();
            }
        }
    }

    Console.Error.WriteLine($"{tool}: the LabNet simulator at {simulator} closed the connection before the command finished");
    return 255;
}
catch (HttpRequestException ex)
{
    Console.Error.WriteLine($"{tool}: cannot reach the LabNet simulator at {simulator}: {ex.Message}");
    return 255;
}
catch (IOException ex)
{
    Console.Error.WriteLine($"{tool}: lost the connection to the LabNet simulator at {simulator}: {ex.Message}");
    return 255;
}

static async Task WriteAsync(Stream stream, string? text)
{
    if (!string.IsNullOrEmpty(text))
    {
        await stream.WriteAsync(Encoding.UTF8.GetBytes(text));
        await stream.FlushAsync();
    }
}
