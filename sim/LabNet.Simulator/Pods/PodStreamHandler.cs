using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Pods;

/// <summary>Serves exec, attach and log for one request, with the API server's and kubelet's errors.</summary>
public sealed class PodStreamHandler(
    ClusterApiRegistry registry,
    PodRuntime runtime,
    PodRuntimeServices services,
    PodCommandInterpreter interpreter,
    ContainerLogStore logs,
    ILogger<PodStreamHandler> logger)
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public async Task HandleAsync(HttpContext context, string clusterName, string ns, string name, string subresource)
    {
        var cluster = registry.FindApi(clusterName);
        if (cluster is null || !cluster.Availability.Serving)
        {
            logger.LogWarning("Refused {Subresource} of pod {Namespace}/{Pod}: cluster {Cluster} has no serving API server", subresource, ns, name, clusterName);
            context.Abort();
            return;
        }

        try
        {
            var pod = cluster.Get("v1", "Pod", ns, name)
                ?? throw new KubernetesApiException(404, "NotFound", $"pods \"{name}\" not found", new JsonObject { ["name"] = name, ["kind"] = "pods" });
            switch (subresource)
            {
                case "exec":
                    await ExecAsync(context, cluster, pod);
                    break;
                case "attach":
                    await AttachAsync(context, cluster, pod);
                    break;
                default:
                    await LogAsync(context, cluster, pod);
                    break;
            }
        }
        catch (KubernetesApiException e) when (!context.Response.HasStarted)
        {
            await WriteJsonAsync(context, e.Code, e.ToStatus());
        }
        catch (KubeletException e) when (!context.Response.HasStarted)
        {
            // The kubelet's own errors come back as plain text: kubectl prints "unable to upgrade connection: <text>".
            context.Response.StatusCode = e.Code;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(e.Message);
        }
    }

    /// <summary>The API server's container check (pods/exec, attach and log): a name is needed when the pod has several.</summary>
    private static string ValidateContainer(JsonObject pod, string? container, bool forLogs)
    {
        var podName = pod["metadata"]!["name"]!.GetValue<string>();
        var containers = Names(pod, "containers");
        var initContainers = Names(pod, "initContainers");
        if (string.IsNullOrEmpty(container))
        {
            switch (containers.Count)
            {
                case 1:
                    return containers[0];
                case 0:
                    throw KubernetesApiException.BadRequest($"a container name must be specified for pod {podName}");
                default:
                    var message = forLogs
                        ? $"a container name must be specified for pod {podName}, choose one of: [{string.Join(' ', containers)}]" + (initContainers.Count > 0 ? $" or one of the init containers: [{string.Join(' ', initContainers)}]" : "")
                        : $"a container name must be specified for pod {podName}, choose one of: [{string.Join(' ', containers.Concat(initContainers))}]";
                    throw KubernetesApiException.BadRequest(message);
            }
        }

        if (!containers.Contains(container) && !initContainers.Contains(container))
        {
            throw KubernetesApiException.BadRequest($"container {container} is not valid for pod {podName}");
        }

        return container;
    }

    private static List<string> Names(JsonObject pod, string field) =>
        (pod["spec"]?[field] as JsonArray ?? []).OfType<JsonObject>().Select(c => c["name"]?.GetValue<string>() ?? "").ToList();

    private static JsonObject? ContainerStatus(JsonObject pod, string container) =>
        (pod["status"]?["containerStatuses"] as JsonArray ?? []).Concat(pod["status"]?["initContainerStatuses"] as JsonArray ?? [])
            .OfType<JsonObject>().FirstOrDefault(s => s["name"]?.GetValue<string>() == container);

    private static bool Flag(HttpContext context, string name) => context.Request.Query[name].ToString() is "true" or "1";

    private async Task ExecAsync(HttpContext context, ClusterApi cluster, JsonObject pod)
    {
        var query = context.Request.Query;
        var container = ValidateContainer(pod, query["container"], forLogs: false);
        var argv = query["command"].Where(c => c is not null).Select(c => c!).ToList();
        if (string.IsNullOrEmpty(pod["spec"]?["nodeName"]?.GetValue<string>()))
        {
            throw KubernetesApiException.BadRequest($"pod {pod["metadata"]!["name"]} does not have a host assigned");
        }

        if (ContainerStatus(pod, container)?["state"]?["running"] is null)
        {
            throw new KubeletException(400, $"container not found (\"{container}\")");
        }

        if (argv.Count == 0)
        {
            throw KubernetesApiException.BadRequest("you must specify at least 1 command");
        }

        var protocol = RequireWebSocket(context);
        var tty = Flag(context, "tty");
        var spec = (pod["spec"]!["containers"] as JsonArray ?? []).OfType<JsonObject>().First(c => c["name"]?.GetValue<string>() == container);
        var process = new PodProcess(cluster, pod, container, ContainerImage.For(spec["image"]?.GetValue<string>() ?? ""), tty, services);
        var socket = await ChannelWebSocket.AcceptAsync(context, protocol);
        logger.LogInformation("exec {Command} in {Namespace}/{Pod} container {Container} (cluster {Cluster}, {Protocol})",
            string.Join(' ', argv), process.Namespace, process.PodName, container, process.ClusterName, protocol);

        if (!process.Image.Has(argv[0]))
        {
            var oci = $"OCI runtime exec failed: exec failed: unable to start container process: exec: \"{argv[0]}\": executable file not found in $PATH: unknown";
            if (tty)
            {
                // With a terminal, runc's message reaches the terminal and the exec ends with 126.
                await socket.SendAsync(ChannelWebSocket.Stdout, oci + "\r\n");
                await socket.FinishAsync(ExitStatus(argv, 126));
            }
            else
            {
                var execId = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{pod["metadata"]!["uid"]}/{string.Join(' ', argv)}/{services.Now.Ticks}")));
                await socket.FinishAsync(Status(new JsonObject
                {
                    ["metadata"] = new JsonObject(),
                    ["status"] = "Failure",
                    ["message"] = $"Internal error occurred: error executing command in container: failed to exec in container: failed to start exec \"{execId}\": {oci}",
                    ["reason"] = "InternalError",
                    ["details"] = new JsonObject { ["causes"] = new JsonArray(new JsonObject { ["message"] = $"error executing command in container: failed to exec in container: failed to start exec \"{execId}\": {oci}" }) },
                    ["code"] = 500,
                }));
            }

            return;
        }

        if (tty && Flag(context, "stdin") && IsShell(argv))
        {
            await InteractiveShellAsync(socket, process, argv, context.RequestAborted);
            return;
        }

        // A program that reads stdin (cat, a shell without -c) gets it once kubectl's stdin ends.
        var stdin = "";
        if (Flag(context, "stdin") && ReadsStdin(argv))
        {
            await Task.WhenAny(socket.StdinClosed, Task.Delay(TimeSpan.FromMinutes(10), services.Time, context.RequestAborted));
            stdin = socket.StdinText;
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted);
        _ = socket.ClientGone.ContinueWith(_ => stop.Cancel(), TaskScheduler.Default);
        var stdout = socket.Writer(ChannelWebSocket.Stdout);
        var stderr = tty ? stdout : socket.Writer(ChannelWebSocket.Stderr);
        int code;
        try
        {
            code = await interpreter.RunAsync(process, argv, stdin, tty ? new TerminalWriter(stdout) : stdout, tty ? new TerminalWriter(stderr) : stderr, stop.Token);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        catch (Exception e)
        {
            // A fault of the twin itself: say so on the error stream rather than cutting the connection.
            logger.LogError(e, "exec {Command} in {Namespace}/{Pod} failed in the simulator", string.Join(' ', argv), process.Namespace, process.PodName);
            await socket.FinishAsync(Status(new JsonObject
            {
                ["metadata"] = new JsonObject(),
                ["status"] = "Failure",
                ["message"] = $"Internal error occurred: the LabNet simulator failed to run {argv[0]}: {e.Message}",
                ["reason"] = "InternalError",
                ["code"] = 500,
            }));
            return;
        }

        await socket.FinishAsync(code == 0 ? Status(new JsonObject { ["metadata"] = new JsonObject(), ["status"] = "Success" }) : ExitStatus(argv, code));
    }

    private static bool IsShell(List<string> argv) =>
        argv[0][(argv[0].LastIndexOf('/') + 1)..] is "sh" or "bash" or "ash" && !argv.Contains("-c");

    /// <summary>
    /// <c>kubectl exec -it POD -- sh</c>: a shell on the container's terminal. The terminal echoes keystrokes, Enter
    /// runs the line, backspace, Ctrl-C and Ctrl-D work; <c>exit [N]</c> or Ctrl-D on an empty line ends the session.
    /// </summary>
    private async Task InteractiveShellAsync(ChannelWebSocket socket, PodProcess process, List<string> argv, CancellationToken cancellation)
    {
        var shell = interpreter.StartShell(process, argv[0], cancellation);
        var prompt = process.Image.Has("ash") ? "/ # " : shell.Dialect.Name == "bash" ? $"root@{process.Hostname}:/# " : "# ";
        var stdout = new TerminalWriter(socket.Writer(ChannelWebSocket.Stdout));
        var line = new StringBuilder();
        var lastCode = 0;
        await socket.SendAsync(ChannelWebSocket.Stdout, prompt);
        try
        {
            await foreach (var chunk in socket.StdinChunks(cancellation))
            {
                foreach (var c in chunk)
                {
                    switch (c)
                    {
                        case '\r' or '\n':
                        {
                            await socket.SendAsync(ChannelWebSocket.Stdout, "\r\n");
                            var command = line.ToString().Trim();
                            line.Clear();
                            if (command.Length > 0)
                            {
                                lastCode = await shell.RunScriptAsync(command, "", stdout, stdout);
                            }

                            if (shell.Exited)
                            {
                                await socket.FinishAsync(lastCode == 0 ? Status(new JsonObject { ["metadata"] = new JsonObject(), ["status"] = "Success" }) : ExitStatus(argv, lastCode));
                                return;
                            }

                            await socket.SendAsync(ChannelWebSocket.Stdout, prompt);
                            break;
                        }

                        case '\x7f' or '\b':
                            if (line.Length > 0)
                            {
                                line.Length--;
                                await socket.SendAsync(ChannelWebSocket.Stdout, "\b \b");
                            }

                            break;
                        case '\x03':
                            line.Clear();
                            await socket.SendAsync(ChannelWebSocket.Stdout, "^C\r\n" + prompt);
                            lastCode = 130;
                            break;
                        case '\x04' when line.Length == 0:
                            await socket.SendAsync(ChannelWebSocket.Stdout, "\r\n");
                            await socket.FinishAsync(lastCode == 0 ? Status(new JsonObject { ["metadata"] = new JsonObject(), ["status"] = "Success" }) : ExitStatus(argv, lastCode));
                            return;
                        default:
                            if (!char.IsControl(c))
                            {
                                line.Append(c);
                                await socket.SendAsync(ChannelWebSocket.Stdout, c.ToString());
                            }

                            break;
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            return;
        }

        // stdin ended (kubectl's terminal closed): the shell exits with its last status.
        await socket.FinishAsync(lastCode == 0 ? Status(new JsonObject { ["metadata"] = new JsonObject(), ["status"] = "Success" }) : ExitStatus(argv, lastCode));
    }

    private static bool ReadsStdin(List<string> argv)
    {
        var name = argv[0][(argv[0].LastIndexOf('/') + 1)..];
        return (name is "cat" && argv.Count == 1) || (name is "sh" or "bash" or "ash" && !argv.Contains("-c"));
    }

    private async Task AttachAsync(HttpContext context, ClusterApi cluster, JsonObject pod)
    {
        var container = ValidateContainer(pod, context.Request.Query["container"], forLogs: false);
        var uid = pod["metadata"]!["uid"]!.GetValue<string>();
        var run = runtime.Find(cluster.Bootstrap.Name, uid, container);
        if (ContainerStatus(pod, container)?["state"]?["running"] is null || run is null || run.Exited.IsCompleted)
        {
            throw new KubeletException(400, $"container not found (\"{container}\")");
        }

        var protocol = RequireWebSocket(context);
        var socket = await ChannelWebSocket.AcceptAsync(context, protocol);
        var tty = Flag(context, "tty");
        using var listening = run.Listen((channel, text) => socket.SendAsync(tty ? ChannelWebSocket.Stdout : (byte)channel, text).GetAwaiter().GetResult());
        logger.LogInformation("attach to {Namespace}/{Pod} container {Container} (cluster {Cluster})", run.Process.Namespace, run.Process.PodName, container, run.Process.ClusterName);
        var gone = Task.Delay(Timeout.Infinite, run.PodGone);
        var finished = await Task.WhenAny(run.Exited, socket.ClientGone, gone);
        if (finished == run.Exited)
        {
            await socket.FinishAsync(Status(new JsonObject { ["metadata"] = new JsonObject(), ["status"] = "Success" }));
        }
    }

    private async Task LogAsync(HttpContext context, ClusterApi cluster, JsonObject pod)
    {
        var query = context.Request.Query;
        var podName = pod["metadata"]!["name"]!.GetValue<string>();
        var container = ValidateContainer(pod, query["container"], forLogs: true);
        if (string.IsNullOrEmpty(pod["spec"]?["nodeName"]?.GetValue<string>()))
        {
            throw KubernetesApiException.BadRequest($"pod {podName} does not have a host assigned");
        }

        var previous = Flag(context, "previous");
        var uid = pod["metadata"]!["uid"]!.GetValue<string>();
        var log = logs.Find(cluster.Bootstrap.Name, uid, container, previous);
        var status = ContainerStatus(pod, container);
        if (previous && log is null)
        {
            throw KubernetesApiException.BadRequest($"previous terminated container \"{container}\" in pod \"{podName}\" not found");
        }

        // Init containers (istio-init) have run to completion once the pod runs; the twin keeps no output for them.
        var initDone = Names(pod, "initContainers").Contains(container) && pod["status"]?["phase"]?.GetValue<string>() is "Running" or "Succeeded" or "Failed";
        if (log is null && !initDone)
        {
            var waiting = status?["state"]?["waiting"]?["reason"]?.GetValue<string>() ?? "ContainerCreating";
            if (status?["state"]?["running"] is null && status?["state"]?["terminated"] is null)
            {
                throw KubernetesApiException.BadRequest($"container \"{container}\" in pod \"{podName}\" is waiting to start: {waiting}");
            }
        }

        var timestamps = Flag(context, "timestamps");
        int? tail = int.TryParse(query["tailLines"], out var t) && t >= 0 ? t : null;
        DateTimeOffset? since = int.TryParse(query["sinceSeconds"], out var s) && s > 0 ? services.Now - TimeSpan.FromSeconds(s) : null;
        if (DateTimeOffset.TryParse(query["sinceTime"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var sinceTime))
        {
            since = sinceTime;
        }

        long? limitBytes = long.TryParse(query["limitBytes"], out var limit) && limit > 0 ? limit : null;
        var follow = Flag(context, "follow") && !previous;

        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/plain";
        if (log is null)
        {
            return;
        }

        var (lines, next, ended, changed) = log.ReadFrom(0);
        var selected = lines.Where(l => since is null || l.Time >= since).ToList();
        if (tail is { } n)
        {
            selected = selected.Skip(Math.Max(0, selected.Count - n)).ToList();
        }

        long written = 0;
        async Task<bool> WriteLinesAsync(IEnumerable<ContainerLogLine> chunk)
        {
            var text = new StringBuilder();
            foreach (var line in chunk)
            {
                if (timestamps)
                {
                    text.Append(line.Time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff", CultureInfo.InvariantCulture)).Append("00Z ");
                }

                text.Append(line.Text);
                if (line.Complete)
                {
                    text.Append('\n');
                }
            }

            var bytes = Encoding.UTF8.GetBytes(text.ToString());
            if (limitBytes is { } max && written + bytes.Length > max)
            {
                await context.Response.Body.WriteAsync(bytes.AsMemory(0, (int)(max - written)));
                return false;
            }

            written += bytes.Length;
            await context.Response.Body.WriteAsync(bytes);
            await context.Response.Body.FlushAsync();
            return true;
        }

        if (!await WriteLinesAsync(selected) || !follow)
        {
            return;
        }

        var run = runtime.Find(cluster.Bootstrap.Name, uid, container);
        var podGone = run?.PodGone ?? CancellationToken.None;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, podGone);
        try
        {
            while (!ended)
            {
                await changed.WaitAsync(stop.Token);
                (lines, next, ended, changed) = log.ReadFrom(next);
                if (!await WriteLinesAsync(lines))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static string RequireWebSocket(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            // SPDY is not spoken here; kubectl 1.30+ only falls back to it when the WebSocket upgrade fails.
            throw KubernetesApiException.BadRequest("Upgrade request required");
        }

        return ChannelWebSocket.Negotiate(context)
            ?? throw KubernetesApiException.BadRequest($"unable to upgrade: no supported subprotocol in [{string.Join(", ", context.WebSockets.WebSocketRequestedProtocols)}], supported: [{ChannelWebSocket.V5}, {ChannelWebSocket.V4}]");
    }

    private static string ExitStatus(List<string> argv, int code) => Status(new JsonObject
    {
        ["metadata"] = new JsonObject(),
        ["status"] = "Failure",
        ["message"] = $"command terminated with non-zero exit code: error executing command [{string.Join(' ', argv)}], exit code {code}",
        ["reason"] = "NonZeroExitCode",
        ["details"] = new JsonObject
        {
            ["causes"] = new JsonArray(new JsonObject { ["reason"] = "ExitCode", ["message"] = code.ToString(CultureInfo.InvariantCulture) }),
        },
    });

    private static string Status(JsonObject status) => status.ToJsonString(new JsonSerializerOptions { Encoder = WriterOptions.Encoder });

    private static async Task WriteJsonAsync(HttpContext context, int code, JsonObject body)
    {
        context.Response.StatusCode = code;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(Status(body));
    }

    /// <summary>A kubelet error before the stream starts (container not running...), sent as plain text like the kubelet's.</summary>
    private sealed class KubeletException(int code, string message) : Exception(message)
    {
        public int Code { get; } = code;
    }

    /// <summary>A terminal turns "\n" into "\r\n" (onlcr), which is what kubectl exec -t shows.</summary>
    private sealed class TerminalWriter(TextWriter inner) : TextWriter
    {
        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => Write(value.ToString());

        public override void Write(string? value) => inner.Write(value?.Replace("\n", "\r\n", StringComparison.Ordinal));

        public override Task WriteAsync(string? value) => inner.WriteAsync(value?.Replace("\n", "\r\n", StringComparison.Ordinal));

        public override Task WriteLineAsync(string? value) => WriteAsync(value + "\n");

        public override void WriteLine(string? value) => Write(value + "\n");
    }
}
