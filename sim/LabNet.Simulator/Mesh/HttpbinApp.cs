using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LabNet.Simulator.Mesh;

/// <summary>
/// kong/httpbin (kennethreitz/httpbin on gunicorn) as the demo deploys it: /get, /post, /headers, /ip, /status/&lt;code&gt;,
/// /delay/&lt;s&gt; with httpbin's JSON (2-space indent, keys sorted), plus the lab's <c>"version"</c> field and
/// <c>X-Version</c> header from the pod's <c>version</c> label so a caller can tell v1 from v2.
/// </summary>
public static class HttpbinApp
{
    public const int Port = 80;
    public const string VersionHeader = "X-Version";
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(10);

    private static readonly JsonWriterOptions Indented = new() { Indented = true, NewLine = "\n", Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private const string NotFoundPage = """
        <!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">
        <title>404 Not Found</title>
        <h1>Not Found</h1>
        <p>The requested URL was not found on the server.  If you entered the URL manually please check your spelling and try again.</p>

        """;

    private const string MethodNotAllowedPage = """
        <!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 3.2 Final//EN">
        <title>405 Method Not Allowed</title>
        <h1>Method Not Allowed</h1>
        <p>The method is not allowed for the requested URL.</p>

        """;

    /// <summary>
    /// httpbin's answer. <paramref name="version"/> is the pod's <c>version</c> label; <paramref name="serviceTime"/> the
    /// modeled processing time; with <paramref name="wantBody"/> false only status and latency are computed (the traffic
    /// generator's hot path).
    /// </summary>
    public static AppResponse Handle(AppRequest request, string? version, TimeSpan serviceTime, DateTimeOffset at, Random random, bool wantBody) =>
        !wantBody && StatusOnly(request.Request.Method, request.Request.Path) is { } status
            ? new AppResponse(AppReaction.Http, status, Reason(status), [], "", serviceTime)
            : HandleFully(request, version, serviceTime, at, random, wantBody);

    /// <summary>The status of the common routes without building anything (the generator's hot path); null for the others.</summary>
    private static int? StatusOnly(string method, string path) => (method, path) switch
    {
        ("GET", "/get") or ("GET", "/headers") or ("GET", "/ip") or ("POST", "/post") => 200,
        ("POST", "/get") or ("GET", "/post") => 405,
        _ => null,
    };

    private static AppResponse HandleFully(AppRequest request, string? version, TimeSpan serviceTime, DateTimeOffset at, Random random, bool wantBody)
    {
        var full = request.Request.Path;
        var q = full.IndexOf('?');
        var path = q < 0 ? full : full[..q];
        var query = q < 0 ? "" : full[(q + 1)..];
        var method = request.Request.Method;
        switch (path)
        {
            case "/get":
                return method is "GET" or "HEAD" or "OPTIONS" ? Json(200, wantBody ? w => Echo(w, request, query, version, withBody: false) : null, version, serviceTime, at) : Html(405, MethodNotAllowedPage, version, serviceTime, at, wantBody);
            case "/post" or "/put" or "/patch" or "/delete" or "/anything":
                var expected = path == "/anything" ? method : path[1..].ToUpperInvariant();
                return method == expected || method == "OPTIONS"
                    ? Json(200, wantBody ? w => Echo(w, request, query, version, withBody: true) : null, version, serviceTime, at)
                    : Html(405, MethodNotAllowedPage, version, serviceTime, at, wantBody);
            case "/headers":
                return Json(200, wantBody ? w => { Headers(w, request); Version(w, version); } : null, version, serviceTime, at);
            case "/ip":
                return Json(200, wantBody ? w => { w.WriteString("origin", request.Origin); Version(w, version); } : null, version, serviceTime, at);
            case "/status" or "/status/":
                return Html(404, NotFoundPage, version, serviceTime, at, wantBody);
        }

        if (path.StartsWith("/status/", StringComparison.Ordinal))
        {
            var codes = path["/status/".Length..].Split(',');
            var pick = codes[codes.Length == 1 ? 0 : random.Next(codes.Length)];
            if (!int.TryParse(pick, NumberStyles.None, CultureInfo.InvariantCulture, out var code) || code is < 100 or > 999)
            {
                return new AppResponse(AppReaction.Http, 400, "BAD REQUEST", Gunicorn(version, at, "text/html; charset=utf-8", 15), "Invalid status code", serviceTime);
            }

            return new AppResponse(AppReaction.Http, code, Reason(code), Gunicorn(version, at, "text/html; charset=utf-8", 0), "", serviceTime);
        }

        if (path.StartsWith("/delay/", StringComparison.Ordinal)
            && double.TryParse(path["/delay/".Length..], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) && seconds >= 0)
        {
            var delay = TimeSpan.FromSeconds(Math.Min(seconds, MaxDelay.TotalSeconds));
            return Json(200, wantBody ? w => Echo(w, request, query, version, withBody: true) : null, version, serviceTime + delay, at);
        }

        if (path == "/")
        {
            const string page = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n    <meta charset=\"UTF-8\">\n    <title>httpbin.org</title>\n</head>\n<body>\n    <h2>httpbin.org</h2>\n    <p>A simple HTTP Request &amp; Response Service.</p>\n</body>\n</html>\n";
            return Html(200, page, version, serviceTime, at, wantBody);
        }

        return Html(404, NotFoundPage, version, serviceTime, at, wantBody);
    }

    /// <summary>The same app failing (the lab's fault injection): gunicorn's worker answers 503 with an empty body.</summary>
    public static AppResponse Failure(string? version, TimeSpan serviceTime, DateTimeOffset at) =>
        new(AppReaction.Http, 503, "SERVICE UNAVAILABLE", Gunicorn(version, at, "text/html; charset=utf-8", 0), "", serviceTime);

    private static AppResponse Json(int status, Action<Utf8JsonWriter>? fields, string? version, TimeSpan serviceTime, DateTimeOffset at)
    {
        if (fields is null)
        {
            return new AppResponse(AppReaction.Http, status, Reason(status), [], "", serviceTime);
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, Indented))
        {
            writer.WriteStartObject();
            fields(writer);
            writer.WriteEndObject();
        }

        var body = Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
        return new AppResponse(AppReaction.Http, status, Reason(status), Gunicorn(version, at, "application/json", Encoding.UTF8.GetByteCount(body)), body, serviceTime);
    }

    private static AppResponse Html(int status, string page, string? version, TimeSpan serviceTime, DateTimeOffset at, bool wantBody) =>
        new(AppReaction.Http, status, Reason(status), wantBody ? Gunicorn(version, at, "text/html; charset=utf-8", Encoding.UTF8.GetByteCount(page)) : [], wantBody ? page : "", serviceTime);

    /// <summary>werkzeug writes the status line's reason upper-cased: <c>418 I'M A TEAPOT</c>.</summary>
    private static string Reason(int status) => HttpStatusText.For(status).ToUpperInvariant();

    /// <summary>/get, /post, /delay: httpbin's keys in sorted order, with the lab's version last (it sorts last).</summary>
    private static void Echo(Utf8JsonWriter w, AppRequest request, string query, string? version, bool withBody)
    {
        w.WritePropertyName("args");
        WriteArgs(w, query);
        if (withBody)
        {
            var contentType = HeaderValue(request, "Content-Type") ?? "";
            var body = request.Body ?? "";
            var isForm = contentType.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase);
            w.WriteString("data", isForm ? "" : body);
            w.WriteStartObject("files");
            w.WriteEndObject();
            w.WritePropertyName("form");
            WriteArgs(w, isForm ? body : "");
            Headers(w, request);
            w.WritePropertyName("json");
            JsonNode? json = null;
            if (!isForm && body.Length > 0)
            {
                try
                {
                    json = JsonNode.Parse(body);
                }
                catch (JsonException)
                {
                    json = null;
                }
            }

            if (json is null)
            {
                w.WriteNullValue();
            }
            else
            {
                json.WriteTo(w);
            }
        }
        else
        {
            Headers(w, request);
        }

        w.WriteString("origin", request.Origin);
        w.WriteString("url", $"{request.Scheme}://{request.Request.Host}{request.Request.Path}");
        Version(w, version);
    }

    private static void Version(Utf8JsonWriter w, string? version)
    {
        if (version is not null)
        {
            w.WriteString("version", version);
        }
    }

    private static void Headers(Utf8JsonWriter w, AppRequest request)
    {
        w.WriteStartObject("headers");
        foreach (var (name, value) in request.Headers.GroupBy(h => TitleCase(h.Key)).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => (g.Key, string.Join(",", g.Select(h => h.Value)))))
        {
            w.WriteString(name, value);
        }

        w.WriteEndObject();
    }

    private static void WriteArgs(Utf8JsonWriter w, string query)
    {
        var args = new SortedDictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var key = Uri.UnescapeDataString((eq < 0 ? pair : pair[..eq]).Replace('+', ' '));
            var value = eq < 0 ? "" : Uri.UnescapeDataString(pair[(eq + 1)..].Replace('+', ' '));
            if (!args.TryGetValue(key, out var values))
            {
                args[key] = values = [];
            }

            values.Add(value);
        }

        w.WriteStartObject();
        foreach (var (key, values) in args)
        {
            if (values.Count == 1)
            {
                w.WriteString(key, values[0]);
            }
            else
            {
                w.WriteStartArray(key);
                values.ForEach(w.WriteStringValue);
                w.WriteEndArray();
            }
        }

        w.WriteEndObject();
    }

    private static string? HeaderValue(AppRequest request, string name)
    {
        foreach (var (key, value) in request.Headers)
        {
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
            {
                return value;
            }
        }

        return null;
    }

    /// <summary>Werkzeug shows header names capitalised per dash-separated word: <c>X-B3-Traceid</c>.</summary>
    public static string TitleCase(string name)
    {
        var chars = name.ToLowerInvariant().ToCharArray();
        for (var i = 0; i < chars.Length; i++)
        {
            if (i == 0 || chars[i - 1] == '-')
            {
                chars[i] = char.ToUpperInvariant(chars[i]);
            }
        }

        return new string(chars);
    }

    private static KeyValuePair<string, string>[] Gunicorn(string? version, DateTimeOffset at, string contentType, int length)
    {
        var headers = new List<KeyValuePair<string, string>>
        {
            new("Server", "gunicorn/19.9.0"),
            new("Date", at.UtcDateTime.ToString("r", CultureInfo.InvariantCulture)),
            new("Connection", "keep-alive"),
            new("Content-Type", contentType),
            new("Content-Length", length.ToString(CultureInfo.InvariantCulture)),
            new("Access-Control-Allow-Origin", "*"),
            new("Access-Control-Allow-Credentials", "true"),
        };
        if (version is not null)
        {
            headers.Add(new(VersionHeader, version));
        }

        return [.. headers];
    }
}
