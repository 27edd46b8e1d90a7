using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>How the apiserver reads request bodies and writes answers: objects, lists and Tables, Go's JSON escaping.</summary>
public static class ApiResponses
{
    // Like Go's encoder: quotes come out as \" rather than \u0022, so bodies read the same as a real apiserver's.
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task WriteListAsync(HttpContext context, ResourceType type, DateTimeOffset now, List<JsonObject> items, long resourceVersion)
    {
        var rv = resourceVersion.ToString(CultureInfo.InvariantCulture);
        if (WantsTable(context))
        {
            await WriteAsync(context, 200, TablePrinter.Table(type, items.Select(i => WithApiVersion(type, i)), context.Request.Query["includeObject"].ToString(),
                now, rv));
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        var writer = new Utf8JsonWriter(context.Response.BodyWriter, WriterOptions);
        await using (writer.ConfigureAwait(false))
        {
            writer.WriteStartObject();
            writer.WriteString("kind", type.ListKind);
            writer.WriteString("apiVersion", type.ApiVersion);
            writer.WriteStartObject("metadata");
            writer.WriteString("resourceVersion", rv);
            writer.WriteEndObject();
            writer.WriteStartArray("items");
            foreach (var item in items)
            {
                WithApiVersion(type, item).WriteTo(writer);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }
    }

    public static async Task WriteObjectAsync(HttpContext context, ResourceType type, DateTimeOffset now, int status, JsonObject obj, WriteOptions options)
    {
        foreach (var warning in options.Warnings.Distinct())
        {
            context.Response.Headers.Append("Warning", $"299 - \"{warning.Replace("\"", "\\\"", StringComparison.Ordinal)}\"");
        }

        obj = WithApiVersion(type, obj);
        if (WantsTable(context) && context.Request.Method == "GET")
        {
            await WriteAsync(context, status, TablePrinter.Table(type, [obj], context.Request.Query["includeObject"].ToString(), now,
                obj["metadata"]?["resourceVersion"]?.GetValue<string>()));
            return;
        }

        await WriteAsync(context, status, obj);
    }

    public static JsonObject WithApiVersion(ResourceType type, JsonObject obj)
    {
        if (obj["apiVersion"]?.GetValue<string>() == type.ApiVersion)
        {
            return obj;
        }

        var copy = (JsonObject)obj.DeepClone();
        copy["apiVersion"] = type.ApiVersion;
        return copy;
    }

    public static bool WantsTable(HttpContext context) =>
        context.Request.Headers.Accept.ToString().Contains("as=Table", StringComparison.Ordinal);

    public static async Task WriteAsync(HttpContext context, int status, JsonNode body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        var writer = new Utf8JsonWriter(context.Response.BodyWriter, WriterOptions);
        await using (writer.ConfigureAwait(false))
        {
            body.WriteTo(writer);
        }
    }

    public static async Task<JsonObject> ReadObjectAsync(HttpContext context) =>
        await ReadJsonAsync(context) as JsonObject
        ?? throw KubernetesApiException.BadRequest("Object 'Kind' is missing in the request body");

    public static async Task<JsonNode?> ReadJsonAsync(HttpContext context)
    {
        var contentType = context.Request.ContentType ?? "application/json";
        if (contentType.Contains("protobuf", StringComparison.Ordinal))
        {
            throw KubernetesApiException.UnsupportedMediaType(contentType, "application/json", "application/yaml");
        }

        return await JsonNode.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
    }
}
