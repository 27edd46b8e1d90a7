namespace LabNet.Simulator.Mesh;

/// <summary>Standard reason phrases (as Envoy writes them on HTTP/1.1); werkzeug (httpbin) sends them upper-cased.</summary>
public static class HttpStatusText
{
    public static string For(int status) => status switch
    {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        418 => "I'm a teapot",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => System.Net.HttpStatusCode.IsDefined(typeof(System.Net.HttpStatusCode), status) ? ((System.Net.HttpStatusCode)status).ToString() : "Unknown",
    };
}
