using System.Text.Json;
using Google.Protobuf;
using LabNet.Hubble.ObserverApi;

namespace LabNet.Hubble;

/// <summary>
/// Writes a GetFlowsResponse the way <c>hubble observe -o json</c> prints it: protojson with proto field names, enum
/// names, 64-bit integers as strings, RFC 3339 times, compact, one object per line.
/// </summary>
public static class HubbleJson
{
    private static readonly JsonFormatter Formatter = new(JsonFormatter.Settings.Default.WithPreserveProtoFieldNames(true));

    public static string Format(GetFlowsResponse response)
    {
        // JsonFormatter pretty-spaces its output; Hubble's is compact.
        using var document = JsonDocument.Parse(Formatter.Format(response));
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            document.WriteTo(writer);
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }
}
