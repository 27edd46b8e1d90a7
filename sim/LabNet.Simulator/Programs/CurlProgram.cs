using System.Globalization;
using System.Text;
using LabNet.Simulator.Mesh;
using LabNet.Simulator.Shell;

namespace LabNet.Simulator.Programs;

/// <summary>
/// curl 8.x, in a pod or on a VM: the request goes out through the machine's <see cref="IHttpNetwork"/> (a pod's is
/// the lab's data plane) and the answer is printed as curl prints it (body, <c>-i</c>/<c>-I</c> headers, <c>-v</c>
/// trace, <c>-w</c> variables, <c>-o</c> to a file, the progress meter when stdout is not a terminal), with curl's
/// error lines and exit codes.
/// </summary>
public static class CurlProgram
{
    public const string Version = "8.11.1";

    public static async Task<int> RunAsync(ProgramCall call, IHttpNetwork network)
    {
        var options = CurlOptions.Parse(call.Args, out var usageError);
        if (usageError is not null)
        {
            await call.Error.WriteAsync($"curl: {usageError}\ncurl: try 'curl --help' or 'curl --manual' for more information\n");
            return 2;
        }

        if (options.Url is null)
        {
            await call.Error.WriteAsync("curl: no URL specified\ncurl: try 'curl --help' or 'curl --manual' for more information\n");
            return 2;
        }

        var target = CurlTarget.Parse(options.Url);
        if (target is null)
        {
            return await FailAsync(call, options, 3, "URL rejected: Malformed input to a URL function", null, TimeSpan.Zero);
        }

        if (target.Scheme is not ("http" or "https"))
        {
            return await FailAsync(call, options, 1, $"Protocol \"{target.Scheme}\" not supported", null, TimeSpan.Zero);
        }

        var method = options.Method ?? (options.Head ? "HEAD" : options.Data is not null ? "POST" : "GET");
        var headers = new List<KeyValuePair<string, string>>(options.Headers);
        if (options.Data is not null && !headers.Any(h => h.Key.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)))
        {
            headers.Add(new("Content-Type", "application/x-www-form-urlencoded"));
        }

        var result = network.Send(method, target.Normalized, headers, options.Data, options.MaxTime);

        var elapsed = result.Elapsed;
        if (result.Outcome == PodHttpOutcome.TimedOut && result.ServedBy is null && options.ConnectTimeout is { } connectTimeout && elapsed > connectTimeout)
        {
            elapsed = connectTimeout;
        }

        if (options.MaxTime is { } maxTime && elapsed > maxTime)
        {
            elapsed = maxTime;
        }

        if (options.Verbose)
        {
            await WriteTraceStartAsync(call, target, method, headers, options, result);
        }

        var showProgress = !options.Silent && !call.Host.Terminal && !options.Verbose;
        if (showProgress)
        {
            await call.Error.WriteAsync(Progress.Header + Progress.Line(0, 0, TimeSpan.Zero));
        }

        await call.Elapse(elapsed, networkWait: true);

        var milliseconds = (long)Math.Round(elapsed.TotalMilliseconds);
        switch (result.Outcome)
        {
            case PodHttpOutcome.CouldNotResolveHost:
                return await FailAsync(call, options, 6, $"Could not resolve host: {target.Host}", result, elapsed, showProgress);
            case PodHttpOutcome.ConnectionRefused:
                return await FailAsync(call, options, 7, $"Failed to connect to {target.Host} port {target.Port} after {milliseconds} ms: Couldn't connect to server", result, elapsed, showProgress);
            case PodHttpOutcome.TimedOut when result.RemoteAddress is null:
                return await FailAsync(call, options, 28, $"Resolving timed out after {milliseconds} milliseconds", result, elapsed, showProgress);
            case PodHttpOutcome.TimedOut when result.ServedBy is not null:
                return await FailAsync(call, options, 28, $"Operation timed out after {milliseconds} milliseconds with 0 bytes received", result, elapsed, showProgress);
            case PodHttpOutcome.TimedOut when options.MaxTime is not null || options.ConnectTimeout is not null:
                return await FailAsync(call, options, 28, $"Failed to connect to {target.Host} port {target.Port} after {milliseconds} ms: Timeout was reached", result, elapsed, showProgress);
            case PodHttpOutcome.TimedOut:
                return await FailAsync(call, options, 28, $"Failed to connect to {target.Host} port {target.Port} after {milliseconds} ms: Couldn't connect to server", result, elapsed, showProgress);
            case PodHttpOutcome.ConnectionReset:
                return await FailAsync(call, options, 56, "Recv failure: Connection reset by peer", result, elapsed, showProgress);
            case PodHttpOutcome.EmptyReply:
                return await FailAsync(call, options, 52, "Empty reply from server", result, elapsed, showProgress);
        }

        var bodyBytes = method == "HEAD" ? 0 : Encoding.UTF8.GetByteCount(result.Body);
        if (options.Verbose)
        {
            await WriteTraceResponseAsync(call, result);
        }

        if (options.Fail && result.StatusCode >= 400)
        {
            if (showProgress)
            {
                await call.Error.WriteAsync(Progress.Line(0, 0, elapsed) + "\n");
            }

            if (options.Verbose)
            {
                await call.Error.WriteAsync($"* The requested URL returned error: {result.StatusCode}\n* closing connection #0\n");
            }

            return await FailAsync(call, options, 22, $"The requested URL returned error: {result.StatusCode}", result, elapsed, showProgress: false);
        }

        var output = new StringBuilder();
        if (options.Include || options.Head)
        {
            output.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {result.StatusCode} {result.ReasonPhrase}\r\n");
            foreach (var (name, value) in result.Headers)
            {
                output.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
            }

            output.Append("\r\n");
        }

        if (method != "HEAD")
        {
            output.Append(result.Body);
        }

        if (options.Output is null or "-")
        {
            await call.Out.WriteAsync(output.ToString());
        }
        else if (!WriteFile(call, options.Output, output.ToString()))
        {
            return await FailAsync(call, options, 23, "Failure writing output to destination", result, elapsed, showProgress);
        }

        if (showProgress)
        {
            await call.Error.WriteAsync(Progress.Line(bodyBytes, bodyBytes, elapsed) + "\n");
        }

        if (options.Verbose)
        {
            await call.Error.WriteAsync($"* Connection #0 to host {target.Host} left intact\n");
        }

        await WriteOutAsync(call, options, result, elapsed, bodyBytes, 0, target);
        return 0;
    }

    private static async Task<int> FailAsync(ProgramCall call, CurlOptions options, int code, string message, PodHttpResult? result, TimeSpan elapsed, bool showProgress = false)
    {
        if (showProgress)
        {
            await call.Error.WriteAsync(Progress.Line(0, 0, elapsed) + "\n");
        }

        if (options.Verbose && code != 22)
        {
            await call.Error.WriteAsync($"* {message}\n* closing connection #0\n");
        }

        if (!options.Silent || options.ShowError)
        {
            await call.Error.WriteAsync($"curl: ({code}) {message}\n");
        }

        await WriteOutAsync(call, options, result, elapsed, 0, code, CurlTarget.Parse(options.Url ?? ""));
        return code;
    }

    private static async Task WriteOutAsync(ProgramCall call, CurlOptions options, PodHttpResult? result, TimeSpan elapsed, long size, int exitCode, CurlTarget? target)
    {
        if (options.WriteOut is not { } format)
        {
            return;
        }

        var seconds = elapsed.TotalSeconds.ToString("0.000000", CultureInfo.InvariantCulture);
        var status = result is { Outcome: PodHttpOutcome.Response } ? result.StatusCode.ToString("000", CultureInfo.InvariantCulture) : "000";
        var text = new StringBuilder();
        for (var i = 0; i < format.Length; i++)
        {
            var c = format[i];
            if (c == '\\' && i + 1 < format.Length)
            {
                text.Append(format[++i] switch { 'n' => '\n', 't' => '\t', 'r' => '\r', var other => other });
                continue;
            }

            if (c == '%' && i + 2 < format.Length && format[i + 1] == '{')
            {
                var end = format.IndexOf('}', i + 2);
                if (end > 0)
                {
                    var name = format[(i + 2)..end];
                    text.Append(name switch
                    {
                        "http_code" or "response_code" => status,
                        "time_total" or "time_starttransfer" => seconds,
                        "time_connect" or "time_pretransfer" => result?.RemoteAddress is null ? "0.000000" : Math.Min(elapsed.TotalSeconds, 0.001).ToString("0.000000", CultureInfo.InvariantCulture),
                        "time_namelookup" => result?.RemoteAddress is null ? seconds : "0.000100",
                        "remote_ip" => result?.RemoteAddress ?? "",
                        "remote_port" => result?.RemoteAddress is null ? "" : target?.Port.ToString(CultureInfo.InvariantCulture) ?? "",
                        "size_download" => size.ToString(CultureInfo.InvariantCulture),
                        "url_effective" or "url" => target?.Normalized ?? options.Url ?? "",
                        "exitcode" => exitCode.ToString(CultureInfo.InvariantCulture),
                        "method" => options.Method ?? (options.Head ? "HEAD" : options.Data is not null ? "POST" : "GET"),
                        "content_type" => result?.Headers.FirstOrDefault(h => h.Key.Equals("content-type", StringComparison.OrdinalIgnoreCase)).Value ?? "",
                        _ => "",
                    });
                    i = end;
                    continue;
                }
            }

            if (c == '%' && i + 1 < format.Length && format[i + 1] == '%')
            {
                text.Append('%');
                i++;
                continue;
            }

            text.Append(c);
        }

        await call.Out.WriteAsync(text.ToString());
    }

    private static async Task WriteTraceStartAsync(ProgramCall call, CurlTarget target, string method, List<KeyValuePair<string, string>> headers, CurlOptions options, PodHttpResult result)
    {
        var trace = new StringBuilder();
        if (result.RemoteAddress is null)
        {
            trace.Append(CultureInfo.InvariantCulture, $"* Could not resolve host: {target.Host}\n");
            await call.Error.WriteAsync(trace.ToString());
            return;
        }

        trace.Append(CultureInfo.InvariantCulture, $"* Host {target.Host}:{target.Port} was resolved.\n* IPv6: (none)\n* IPv4: {result.RemoteAddress}\n");
        trace.Append(CultureInfo.InvariantCulture, $"*   Trying {result.RemoteAddress}:{target.Port}...\n");
        if (result.Outcome is PodHttpOutcome.ConnectionRefused or PodHttpOutcome.TimedOut && result.ServedBy is null)
        {
            await call.Error.WriteAsync(trace.ToString());
            return;
        }

        trace.Append(CultureInfo.InvariantCulture, $"* Connected to {target.Host} ({result.RemoteAddress}) port {target.Port}\n");
        trace.Append("* using HTTP/1.x\n");
        trace.Append(CultureInfo.InvariantCulture, $"> {method} {target.PathAndQuery} HTTP/1.1\n> Host: {target.HostHeader}\n> User-Agent: curl/{Version}\n> Accept: */*\n");
        foreach (var (name, value) in headers)
        {
            trace.Append(CultureInfo.InvariantCulture, $"> {name}: {value}\n");
        }

        if (options.Data is not null)
        {
            trace.Append(CultureInfo.InvariantCulture, $"> Content-Length: {Encoding.UTF8.GetByteCount(options.Data)}\n");
        }

        trace.Append("> \n");
        if (options.Data is not null)
        {
            trace.Append(CultureInfo.InvariantCulture, $"* upload completely sent off: {Encoding.UTF8.GetByteCount(options.Data)} bytes\n");
        }
        else
        {
            trace.Append("* Request completely sent off\n");
        }

        await call.Error.WriteAsync(trace.ToString());
    }

    private static async Task WriteTraceResponseAsync(ProgramCall call, PodHttpResult result)
    {
        var trace = new StringBuilder();
        trace.Append(CultureInfo.InvariantCulture, $"< HTTP/1.1 {result.StatusCode} {result.ReasonPhrase}\n");
        foreach (var (name, value) in result.Headers)
        {
            trace.Append(CultureInfo.InvariantCulture, $"< {name}: {value}\n");
        }

        trace.Append("< \n");
        await call.Error.WriteAsync(trace.ToString());
    }

    /// <summary><c>-o FILE</c>: the body goes to the file, if its directory exists and the user may write there.</summary>
    private static bool WriteFile(ProgramCall call, string file, string content)
    {
        var path = call.PathOf(file);
        var files = call.Files;
        lock (files.Sync)
        {
            if (!files.ParentExists(path) || !files.CanWrite(path))
            {
                return false;
            }

            files.WriteFile(path, content);
            return true;
        }
    }

    /// <summary>curl's progress meter (stderr, when stdout is not a terminal and -s is not given).</summary>
    private static class Progress
    {
        public const string Header =
            "  % Total    % Received % Xferd  Average Speed   Time    Time     Time  Current\n" +
            "                                 Dload  Upload   Total   Spent    Left  Speed\n";

        public static string Line(long total, long received, TimeSpan elapsed)
        {
            var percent = total > 0 ? 100 : 0;
            var speed = elapsed.TotalSeconds > 0 ? (long)(received / elapsed.TotalSeconds) : 0;
            var spent = elapsed.TotalSeconds >= 1 ? Clock(elapsed) : "--:--:--";
            return string.Create(CultureInfo.InvariantCulture,
                $"\r{percent,3} {Size(total),5}  {percent,3} {Size(received),5}  {0,3} {Size(0),5}  {Size(speed),5}  {Size(0),5} {"--:--:--",8} {spent,8} {"--:--:--",8} {Size(speed),5}");
        }

        private static string Clock(TimeSpan time) =>
            string.Create(CultureInfo.InvariantCulture, $"{(int)time.TotalHours,2}:{time.Minutes:00}:{time.Seconds:00}");

        private static string Size(long bytes) => bytes switch
        {
            < 100_000 => bytes.ToString(CultureInfo.InvariantCulture),
            < 10_000 * 1024L => (bytes / 1024).ToString(CultureInfo.InvariantCulture) + "k",
            < 10_000 * 1024L * 1024 => (bytes / (1024 * 1024)).ToString(CultureInfo.InvariantCulture) + "M",
            _ => (bytes / (1024L * 1024 * 1024)).ToString(CultureInfo.InvariantCulture) + "G",
        };
    }
}
