using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace LabNet.Yaml;

/// <summary>
/// Turns YAML into JSON the way kubectl, Helm and client-go do (sigs.k8s.io/yaml decodes with go-yaml v2, so scalars
/// follow YAML 1.1): plain scalars become booleans (<c>true</c>, <c>yes</c>, <c>on</c>, <c>y</c>... see
/// <see cref="YamlScalar"/>), null, integers (decimal, <c>0x</c>, <c>0o</c>, <c>0b</c>, leading-zero octal) or floats;
/// quoted and block scalars stay strings, and so do timestamps. Map keys become strings as sigs.k8s.io/yaml writes
/// them (<c>yes:</c> is the key <c>"true"</c>); a later duplicate key wins, and merge keys (<c>&lt;&lt;: *anchor</c>)
/// count where they stand, as in go-yaml v2.
/// </summary>
public static class YamlToJson
{
    /// <summary>Every document of a (multi-document) stream; an empty document is null.</summary>
    /// <exception cref="YamlToJsonException">Not YAML, or a value JSON cannot hold (<c>.inf</c>, <c>.nan</c>, a null map key).</exception>
    public static IReadOnlyList<JsonNode?> ParseDocuments(string yaml)
    {
        var parser = new MergingParser(new Parser(new StringReader(yaml)));
        var documents = new List<JsonNode?>();
        try
        {
            parser.Consume<StreamStart>();
            while (parser.TryConsume<DocumentStart>(out _))
            {
                documents.Add(Read(parser, new Dictionary<string, JsonNode?>(StringComparer.Ordinal)));
                parser.Consume<DocumentEnd>();
            }

            parser.Consume<StreamEnd>();
        }
        catch (YamlException ex)
        {
            throw new YamlToJsonException(ex.InnerException?.Message ?? ex.Message, (int)ex.Start.Line, (int)ex.Start.Column, ex);
        }

        return documents;
    }

    /// <summary>The first document, as Helm reads a values file and client-go a kubeconfig; null when there is none or it is empty.</summary>
    /// <exception cref="YamlToJsonException">Not YAML, or a value JSON cannot hold.</exception>
    public static JsonNode? Parse(string yaml) => ParseDocuments(yaml).FirstOrDefault();

    private static JsonNode? Read(IParser parser, Dictionary<string, JsonNode?> anchors)
    {
        var current = parser.Current ?? throw new YamlException("unexpected end of the YAML stream");
        parser.MoveNext();
        switch (current)
        {
            case AnchorAlias alias:
                // JSON has no references: every use of an anchor is a copy.
                return anchors.TryGetValue(alias.Value.Value, out var anchored)
                    ? anchored?.DeepClone()
                    : throw Error($"unknown anchor '{alias.Value}' referenced", current);
            case Scalar scalar:
                return Remember(anchors, scalar.Anchor, Value(scalar) switch
                {
                    double number when !double.IsFinite(number) => throw Error($"json: unsupported value: {GoFloat(number)}", current),
                    var value => YamlScalar.ToJsonValue(value),
                });
            case SequenceStart sequence:
                var array = new JsonArray();
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    array.Add(Read(parser, anchors));
                }

                return Remember(anchors, sequence.Anchor, array);
            case MappingStart mapping:
                var json = new JsonObject();
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var key = Key(parser, anchors);
                    json[key] = Read(parser, anchors);
                }

                return Remember(anchors, mapping.Anchor, json);
            default:
                throw Error($"unexpected {current.GetType().Name}", current);
        }
    }

    private static JsonNode? Remember(Dictionary<string, JsonNode?> anchors, AnchorName anchor, JsonNode? node)
    {
        if (!anchor.IsEmpty)
        {
            anchors[anchor.Value] = node;
        }

        return node;
    }

    // sigs.k8s.io/yaml writes keys of type string, int, float64 and bool as text and refuses every other kind.
    private static string Key(IParser parser, Dictionary<string, JsonNode?> anchors)
    {
        var at = parser.Current!;
        object? key = at switch
        {
            Scalar scalar => Value(scalar),
            AnchorAlias alias when anchors.TryGetValue(alias.Value.Value, out var node) && node is JsonValue or null => Unwrap(node),
            SequenceStart => throw Error("unsupported map key of type: []interface {}", at),
            _ => throw Error("unsupported map key of type: map[interface {}]interface {}", at),
        };
        parser.MoveNext();
        return key switch
        {
            string text => text,
            long integer => integer.ToString(System.Globalization.CultureInfo.InvariantCulture),
            bool flag => flag ? "true" : "false",
            double number => YamlScalar.FormatFloat32(number),
            _ => throw Error($"unsupported map key of type: {GoType(key)}, key: {(at as Scalar)?.Value}", at),
        };
    }

    private static object? Unwrap(JsonNode? node) => node?.GetValueKind() switch
    {
        null or System.Text.Json.JsonValueKind.Null => null,
        System.Text.Json.JsonValueKind.String => node.GetValue<string>(),
        System.Text.Json.JsonValueKind.True => true,
        System.Text.Json.JsonValueKind.False => false,
        _ => YamlScalar.Resolve(node.ToJsonString()),
    };

    // go-yaml v2: an untagged plain scalar is resolved; quoted and block ones are strings; !!str, the non-specific
    // "!" and unknown tags keep the text; !!binary is base64; !!int, !!float, !!bool and !!null must resolve to their kind.
    private static object? Value(Scalar scalar)
    {
        var text = scalar.Value;
        if (scalar.Tag.IsEmpty)
        {
            return scalar.Style is ScalarStyle.Plain ? YamlScalar.Resolve(text) : text;
        }

        var resolved = YamlScalar.Resolve(text);
        return scalar.Tag.Value switch
        {
            "tag:yaml.org,2002:binary" => Binary(scalar),
            "tag:yaml.org,2002:int" when resolved is long or ulong => resolved,
            "tag:yaml.org,2002:float" when resolved is double => resolved,
            "tag:yaml.org,2002:float" when resolved is long integer => (double)integer,
            "tag:yaml.org,2002:bool" when resolved is bool => resolved,
            "tag:yaml.org,2002:null" when resolved is null => null,
            "tag:yaml.org,2002:int" or "tag:yaml.org,2002:float" or "tag:yaml.org,2002:bool" or "tag:yaml.org,2002:null" =>
                throw Error($"cannot decode {ShortTag(resolved)} `{text}` as a !!{scalar.Tag.Value[(scalar.Tag.Value.LastIndexOf(':') + 1)..]}", scalar),
            _ => text,
        };
    }

    private static string Binary(Scalar scalar)
    {
        try
        {
            return System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(string.Concat(scalar.Value.Where(c => !char.IsWhiteSpace(c)))));
        }
        catch (FormatException)
        {
            throw Error("!!binary value contains invalid base64 data", scalar);
        }
    }

    private static YamlToJsonException Error(string problem, ParsingEvent at) => new(problem, (int)at.Start.Line, (int)at.Start.Column);

    private static string ShortTag(object? resolved) => resolved switch
    {
        null => "!!null",
        bool => "!!bool",
        long or ulong => "!!int",
        double => "!!float",
        _ => "!!str",
    };

    private static string GoType(object? value) => value switch
    {
        null => "<nil>",
        ulong => "uint64",
        _ => value.GetType().Name,
    };

    private static string GoFloat(double number) => double.IsNaN(number) ? "NaN" : number > 0 ? "+Inf" : "-Inf";
}
