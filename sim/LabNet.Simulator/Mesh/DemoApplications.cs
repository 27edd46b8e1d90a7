using System.Globalization;
using System.Text;
using LabNet.Simulator.Workloads;

namespace LabNet.Simulator.Mesh;

/// <summary>
/// What the demo's containers do with a request on a port, chosen by the pod's image (or its <c>app</c> label):
/// httpbin and nginx answer HTTP; redis, postgres and rabbitmq read the request and close the connection (not HTTP);
/// a port the application does not listen on refuses the connection.
/// </summary>
public static class DemoApplications
{
    private const string NginxWelcome = """
        <!DOCTYPE html>
        <html>
        <head>
        <title>Welcome to nginx!</title>
        <style>
        html { color-scheme: light dark; }
        body { width: 35em; margin: 0 auto;
        font-family: Tahoma, Verdana, Arial, sans-serif; }
        </style>
        </head>
        <body>
        <h1>Welcome to nginx!</h1>
        <p>If you see this page, the nginx web server is successfully installed and
        working. Further configuration is required.</p>

        <p>For online documentation and support please refer to
        <a href="http://nginx.org/">nginx.org</a>.<br/>
        Commercial support is available at
        <a href="http://nginx.com/">nginx.com</a>.</p>

        <p><em>Thank you for using nginx.</em></p>
        </body>
        </html>

        """;

    private const string NginxNotFound = "<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.27.3</center>\r\n</body>\r\n</html>\r\n";

    public static DemoApp KindOf(TrafficPod pod)
    {
        var image = pod.Image ?? "";
        var app = pod.Label("app") ?? pod.Label("app.kubernetes.io/name") ?? "";
        if (image.Contains("httpbin", StringComparison.OrdinalIgnoreCase) || app == "httpbin")
        {
            return DemoApp.Httpbin;
        }

        if (image.Contains("nginx", StringComparison.OrdinalIgnoreCase) || app.StartsWith("nginx", StringComparison.Ordinal))
        {
            return DemoApp.Nginx;
        }

        if (image.Contains("redis", StringComparison.OrdinalIgnoreCase) || app == "redis")
        {
            return DemoApp.Redis;
        }

        if (image.Contains("postgres", StringComparison.OrdinalIgnoreCase) || app == "postgres")
        {
            return DemoApp.Postgres;
        }

        if (image.Contains("rabbitmq", StringComparison.OrdinalIgnoreCase) || app == "rabbitmq")
        {
            return DemoApp.Rabbitmq;
        }

        if (image.Contains("keycloak", StringComparison.OrdinalIgnoreCase) || app == "keycloak")
        {
            return DemoApp.Keycloak;
        }

        return DemoApp.Unknown;
    }

    /// <summary>Whether the application listens on <paramref name="port"/>.</summary>
    public static bool Listens(DemoApp app, TrafficPod pod, int port) => app switch
    {
        DemoApp.Httpbin or DemoApp.Nginx => port == 80,
        DemoApp.Redis => port == 6379,
        DemoApp.Postgres => port == 5432,
        DemoApp.Rabbitmq => port is 5672 or 15672,
        DemoApp.Keycloak => port is 8080 or 8443,
        _ => pod.NamedPorts?.Values.Contains(port) == true,
    };

    /// <summary>
    /// The application's answer. <paramref name="fail"/> and <paramref name="serviceTime"/> come from the lab's fault
    /// settings (version or pod), applied to HTTP applications.
    /// </summary>
    public static AppResponse Handle(DemoApp app, TrafficPod pod, int port, AppRequest request, bool fail, TimeSpan serviceTime, DateTimeOffset at, Random random, bool wantBody)
    {
        if (!Listens(app, pod, port))
        {
            return AppResponse.Refused;
        }

        var version = pod.Label("version");
        switch (app)
        {
            case DemoApp.Httpbin:
                return fail ? HttpbinApp.Failure(version, serviceTime, at) : HttpbinApp.Handle(request, version, serviceTime, at, random, wantBody);
            case DemoApp.Nginx:
                if (fail)
                {
                    return Nginx(503, "<html>\r\n<head><title>503 Service Temporarily Unavailable</title></head>\r\n<body>\r\n<center><h1>503 Service Temporarily Unavailable</h1></center>\r\n<hr><center>nginx/1.27.3</center>\r\n</body>\r\n</html>\r\n", serviceTime, at, wantBody);
                }

                var path = request.Request.Path.Split('?')[0];
                return path is "/" or "/index.html" ? Nginx(200, NginxWelcome, serviceTime, at, wantBody) : Nginx(404, NginxNotFound, serviceTime, at, wantBody);
            case DemoApp.Keycloak:
                return new AppResponse(AppReaction.Http, fail ? 503 : 302, fail ? "Service Unavailable" : "Found", wantBody ? [new("Location", $"http://{request.Request.Host}/admin/"), new("Content-Length", "0")] : [], "", serviceTime);
            case DemoApp.Unknown:
                return fail ? new AppResponse(AppReaction.Http, 503, "Service Unavailable", [], "", serviceTime) : new AppResponse(AppReaction.Http, 200, "OK", [], "", serviceTime);
            default:
                // redis drops a connection whose first command is an HTTP verb with a Host: line ("possible SECURITY
                // ATTACK"); postgres and rabbitmq reject the bytes as an invalid startup/protocol header and close.
                return AppResponse.ClosedWithoutReply(TimeSpan.FromMilliseconds(1));
        }
    }

    private static AppResponse Nginx(int status, string page, TimeSpan serviceTime, DateTimeOffset at, bool wantBody) =>
        new(AppReaction.Http, status, HttpStatusText.For(status) == "Service Unavailable" ? "Service Temporarily Unavailable" : HttpStatusText.For(status), wantBody
            ?
            [
                new("Server", "nginx/1.27.3"),
                new("Date", at.UtcDateTime.ToString("r", CultureInfo.InvariantCulture)),
                new("Content-Type", "text/html"),
                new("Content-Length", Encoding.UTF8.GetByteCount(page).ToString(CultureInfo.InvariantCulture)),
                new("Connection", "keep-alive"),
            ]
            : [],
            wantBody ? page : "",
            serviceTime);
}

/// <summary>The demo's applications, by what they speak.</summary>
public enum DemoApp
{
    Unknown,
    Httpbin,
    Nginx,
    Redis,
    Postgres,
    Rabbitmq,
    Keycloak,
}
