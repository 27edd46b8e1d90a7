using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using LabNet.Benchmarks.CanaryQuality;
using LabNet.CanaryController.Analysis;
using LabNet.CanaryController.Resources;
using LabNet.CanaryController.Serialization;
using LabNet.CanaryController.Tests.Rollout;
using LabNet.CanaryController.Validation;
using LabNet.Durations;
using LabNet.Yaml;

namespace LabNet.CanaryController.Tests.Manifests;

/// <summary>The CRD, the shipped httpbin Canary and the C# records must agree, or the API server would prune status.</summary>
public sealed class CanaryManifestTests
{
    private static readonly JsonNode Crd = YamlToJson.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Manifests", "canary-crd.yaml")))!;
    private static readonly JsonNode Version = Crd["spec"]!["versions"]![0]!;
    private static readonly JsonNode Schema = Version["schema"]!["openAPIV3Schema"]!;

    [Fact]
    public void Httpbin_canary_manifest_reads_as_the_spec_the_harness_uses_and_is_valid()
    {
        var manifest = YamlToJson.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Manifests", "httpbin-canary.yaml")))!;

        var spec = manifest["spec"].Deserialize<CanarySpec>(CanaryJson.Options)!;

        Assert.Equal(("labnet.io/v1alpha1", "Canary", "demo"), ((string)manifest["apiVersion"]!, (string)manifest["kind"]!, (string)manifest["metadata"]!["namespace"]!));
        Assert.Equal(Json(HttpbinMesh.Spec), Json(spec));
        Assert.Empty(CanaryValidator.Validate(spec, HttpbinMesh.Seed));
    }

    [Fact]
    public void Crd_defaults_equal_the_record_defaults()
    {
        var defaults = JsonSerializer.SerializeToNode(new CanarySpec { Target = HttpbinMesh.Spec.Target }, CanaryJson.Options)!;
        var checkedDefaults = 0;

        Walk(Schema["properties"]!["spec"]!, defaults, "spec");

        Assert.True(checkedDefaults >= 20, $"only {checkedDefaults} defaults compared");

        void Walk(JsonNode schema, JsonNode? value, string path)
        {
            if (schema["default"] is { } expected && !(expected is JsonObject { Count: 0 }))
            {
                Assert.True(SameValue(expected, value), $"{path}: CRD default {expected.ToJsonString()} but the record defaults to {value?.ToJsonString() ?? "null"}");
                checkedDefaults++;
            }

            if (schema["properties"] is JsonObject properties)
            {
                foreach (var (name, child) in properties)
                {
                    Walk(child!, value?[name], $"{path}.{name}");
                }
            }
        }
    }

    [Fact]
    public void Every_spec_field_of_the_records_is_in_the_crd_schema()
    {
        var spec = HttpbinMesh.Spec with { Traffic = new TrafficStepsSpec { StepSize = 10, MaxWeight = 90 } };

        AssertInSchema(JsonSerializer.SerializeToNode(spec, CanaryJson.Options)!, Schema["properties"]!["spec"]!, "spec");
    }

    [Fact]
    public void Every_status_field_is_in_the_crd_schema_and_status_round_trips()
    {
        var status = RichStatus();

        var json = JsonSerializer.SerializeToNode(status, CanaryJson.Options)!;
        AssertInSchema(json, Schema["properties"]!["status"]!, "status");

        var back = json.Deserialize<CanaryStatus>(CanaryJson.Options)!;
        Assert.Equal(json.ToJsonString(), JsonSerializer.SerializeToNode(back, CanaryJson.Options)!.ToJsonString());
    }

    [Fact]
    public void Crd_has_status_subresource_short_name_and_the_printer_columns_people_read()
    {
        Assert.Equal("canaries.labnet.io", (string)Crd["metadata"]!["name"]!);
        Assert.Contains("cnry", Crd["spec"]!["names"]!["shortNames"]!.AsArray().Select(n => (string)n!));
        Assert.NotNull(Version["subresources"]!["status"]);
        var columns = Version["additionalPrinterColumns"]!.AsArray().ToDictionary(c => (string)c!["name"]!, c => (string)c!["jsonPath"]!);
        Assert.Equal(".status.phase", columns["Phase"]);
        Assert.Equal(".status.canaryWeight", columns["Weight"]);
        Assert.Equal(".status.stepIndex", columns["Step"]);
        Assert.Equal(".status.lastDecision.reason", columns["Decision"]);
        Assert.Equal(".metadata.creationTimestamp", columns["Age"]);

        // The printer columns must point at fields the controller writes.
        var status = JsonSerializer.SerializeToNode(RichStatus(), CanaryJson.Options)!;
        Assert.NotNull(status["phase"]);
        Assert.NotNull(status["canaryWeight"]);
        Assert.NotNull(status["stepIndex"]);
        Assert.NotNull(status["lastDecision"]!["reason"]);
    }

    private static CanaryStatus RichStatus()
    {
        var driver = new CanaryDriver();
        driver.StartRamp();
        driver.Traffic(200, 0, 50, 8);
        var histogram = new LatencyHistogram([10, 100], [5, 4, 1]);
        return driver.Status with { StepCanaryLatency = histogram, StableLatencyReference = histogram, PausedFrom = CanaryPhase.Progressing, LastCommand = "pause@1", RolloutTraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01" };
    }

    private static void AssertInSchema(JsonNode value, JsonNode schema, string path)
    {
        switch (value)
        {
            case JsonObject obj:
                var properties = schema["properties"] as JsonObject;
                foreach (var (name, child) in obj)
                {
                    Assert.True(properties?.ContainsKey(name) == true, $"{path}.{name} is written by the controller but not in the CRD schema (the API server would prune it).");
                    if (child is not null)
                    {
                        AssertInSchema(child, properties![name]!, $"{path}.{name}");
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array.OfType<JsonNode>())
                {
                    AssertInSchema(item, schema["items"]!, $"{path}[]");
                }

                break;
        }
    }

    private static bool SameValue(JsonNode expected, JsonNode? actual)
    {
        if (actual is null)
        {
            return false;
        }

        if (expected is JsonObject expectedObject)
        {
            return actual is JsonObject actualObject && expectedObject.All(pair => pair.Value is not null && SameValue(pair.Value, actualObject[pair.Key]));
        }

        var e = expected.ToJsonString().Trim('"');
        var a = actual.ToJsonString().Trim('"');
        if (double.TryParse(e, NumberStyles.Float, CultureInfo.InvariantCulture, out var en) && double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var an))
        {
            return en == an;
        }

        if (GoDuration.TryParse(e, out var ed) && GoDuration.TryParse(a, out var ad))
        {
            return ed == ad;
        }

        return e == a;
    }

    private static string Json<T>(T value) => JsonSerializer.Serialize(value, CanaryJson.Options);
}
