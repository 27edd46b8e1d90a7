using System.Text.Json.Nodes;
using LabNet.Simulator.Kubernetes;
using LabNet.Simulator.Tests.Cilium;

namespace LabNet.Simulator.Tests.Kubernetes.Admission;

/// <summary>
/// Every validation of the shipped Canary CRD (manifests/crds/canary.yaml), as the twin's API server applies it to a
/// create: OpenAPI v3 value validation, the x-kubernetes-validations rules, defaults and pruning, with the real API
/// server's messages. The same write path serves kubectl (see <see cref="KubectlCanaryAdmissionTests"/>).
/// </summary>
[Collection(SimulatorServerCollection.Name)]
public sealed class CanaryCrdAdmissionTests(SimulatorServer server)
{
    private const string Valid = """
        apiVersion: labnet.io/v1alpha1
        kind: Canary
        metadata:
          name: x
          namespace: demo
        spec:
          target:
            service: httpbin
            virtualService: httpbin-routing
            destinationRule: httpbin-destination
        """;

    private (ClusterApi Api, ResourceType Type) Cluster()
    {
        var api = (ClusterApi)server.CreateCluster().Api;
        api.Apply(YamlManifests.LoadFile("manifests/crds/canary.yaml"));
        api.Apply(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "demo" } });
        return (api, api.Catalog.FindByKind("labnet.io/v1alpha1", "Canary")!);
    }

    /// <summary>Creates the Canary; the API server's message when it refuses it, and then that nothing was stored.</summary>
    private string Refusal(string yamlSpecOverrides, Action<JsonObject>? edit = null)
    {
        var (api, type) = Cluster();
        var canary = YamlManifests.ParseOne(Valid);
        if (yamlSpecOverrides.Length > 0)
        {
            foreach (var (key, value) in YamlManifests.ParseOne(yamlSpecOverrides))
            {
                Merge(canary["spec"]!.AsObject(), key, value);
            }
        }

        edit?.Invoke(canary);
        var error = Assert.Throws<KubernetesApiException>(() => api.Create(type, "demo", canary, new WriteOptions(FieldValidation: FieldValidation.Strict)));
        Assert.Equal(422, error.Code);
        Assert.Empty(api.List("labnet.io/v1alpha1", "Canary", "demo"));
        return error.Message;
    }

    private static void Merge(JsonObject target, string key, JsonNode? value)
    {
        if (value is JsonObject obj && target[key] is JsonObject existing)
        {
            foreach (var (k, v) in obj.ToList())
            {
                obj.Remove(k);
                Merge(existing, k, v);
            }

            return;
        }

        target[key] = value?.DeepClone();
    }

    [Fact]
    public void The_shipped_httpbin_canary_is_accepted()
    {
        var (api, type) = Cluster();

        var stored = api.Create(type, "demo", YamlManifests.LoadFile("manifests/canary/httpbin-canary.yaml"), new WriteOptions(FieldValidation: FieldValidation.Strict));

        Assert.Equal("httpbin", stored["metadata"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Equal_subsets_are_refused_by_the_target_rule() =>
        Assert.Equal(
            "Canary.labnet.io \"x\" is invalid: spec.target: Invalid value: \"object\": stableSubset and canarySubset must name two different DestinationRule subsets",
            Refusal("target: {stableSubset: v2, canarySubset: v2}"));

    [Fact]
    public void Equal_subsets_by_default_and_by_name_are_refused_too() =>
        Assert.Contains("stableSubset and canarySubset must name two different DestinationRule subsets", Refusal("target: {canarySubset: v1}"));

    [Fact]
    public void Unsorted_steps_are_refused_with_the_rules_message() =>
        Assert.Equal(
            "Canary.labnet.io \"x\" is invalid: spec.traffic: Invalid value: \"object\": steps must increase (e.g. 20, 50, 80, 100)",
            Refusal("traffic: {steps: [50, 20, 80]}"));

    [Fact]
    public void A_step_over_100_is_refused_by_the_schemas_maximum() =>
        Assert.Equal(
            "Canary.labnet.io \"x\" is invalid: spec.traffic.steps[2]: Invalid value: 120: spec.traffic.steps[2] in body should be less than or equal to 100",
            Refusal("traffic: {steps: [20, 50, 120]}"));

    [Fact]
    public void Several_errors_are_joined_as_the_api_server_joins_them() =>
        Assert.Equal(
            "Canary.labnet.io \"x\" is invalid: [spec.traffic.steps[2]: Invalid value: 120: spec.traffic.steps[2] in body should be less than or equal to 100, "
            + "spec.traffic: Invalid value: \"object\": steps must increase (e.g. 20, 50, 80, 100)]",
            Refusal("traffic: {steps: [50, 20, 120]}"));

    [Fact]
    public void A_repeated_step_is_refused() =>
        Assert.Equal(
            "Canary.labnet.io \"x\" is invalid: spec.traffic: Invalid value: \"object\": steps must not repeat a weight",
            Refusal("traffic: {steps: [20, 20, 100]}"));

    [Fact]
    public void Steps_without_a_weight_below_100_are_refused() =>
        Assert.Equal(
            "Canary.labnet.io \"x\" is invalid: spec.traffic: Invalid value: \"object\": steps need at least one weight below 100",
            Refusal("traffic: {steps: [100]}"));

    [Fact]
    public void Steps_and_step_size_together_are_refused() =>
        Assert.Equal(
            "Canary.labnet.io \"x\" is invalid: spec.traffic: Invalid value: \"object\": set either steps or stepSize/maxWeight, not both",
            Refusal("traffic: {steps: [20, 100], stepSize: 20}"));

    [Fact]
    public void A_max_weight_below_the_step_size_is_refused() =>
        Assert.Equal(
            "Canary.labnet.io \"x\" is invalid: spec.traffic: Invalid value: \"object\": maxWeight must be at least stepSize",
            Refusal("traffic: {stepSize: 40, maxWeight: 30}"));

    [Fact]
    public void Schema_errors_that_block_the_rules_say_so()
    {
        var message = Refusal("traffic: {steps: [50, 20]}\ndeadline: {onExpiry: Later}");

        Assert.Equal(
            "Canary.labnet.io \"x\" is invalid: [spec.deadline.onExpiry: Unsupported value: \"Later\": supported values: \"RouteToStable\", \"Freeze\", "
            + "<nil>: Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation]",
            message);
    }

    [Fact]
    public void Names_patterns_lengths_and_required_fields_are_checked()
    {
        Assert.Equal(
            "Canary.labnet.io \"x\" is invalid: spec.target.service: Invalid value: \"Httpbin\": spec.target.service in body should match '^[a-z0-9]([-a-z0-9]*[a-z0-9])?$'",
            Refusal("target: {service: Httpbin}"));
        Assert.StartsWith(
            "Canary.labnet.io \"x\" is invalid: [spec.target.service: Too long: may not be longer than 63, ",
            Refusal("target: {service: " + new string('a', 64) + "}"));
        Assert.Equal(
            "Canary.labnet.io \"x\" is invalid: [spec.target.virtualService: Required value, <nil>: Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation]",
            Refusal("", c => c["spec"]!["target"]!.AsObject().Remove("virtualService")));
        Assert.Equal(
            "Canary.labnet.io \"x\" is invalid: [spec: Required value, <nil>: Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation]",
            Refusal("", c => c.Remove("spec")));
    }

    [Fact]
    public void Numbers_are_checked_against_minimum_exclusive_bounds_and_item_counts()
    {
        Assert.Equal(
            "Canary.labnet.io \"x\" is invalid: spec.traffic.splitTolerancePercent: Invalid value: 0: spec.traffic.splitTolerancePercent in body should be greater than 0",
            Refusal("traffic: {splitTolerancePercent: 0}"));
        Assert.Equal(
            "Canary.labnet.io \"x\" is invalid: spec.guards.minSuccessRatePercent: Invalid value: 100: spec.guards.minSuccessRatePercent in body should be less than 100",
            Refusal("guards: {minSuccessRatePercent: 100}"));
        Assert.Equal(
            "Canary.labnet.io \"x\" is invalid: spec.headerProbe.minRequests: Invalid value: 0: spec.headerProbe.minRequests in body should be greater than or equal to 1",
            Refusal("headerProbe: {minRequests: 0}"));
        Assert.Equal(
            "Canary.labnet.io \"x\" is invalid: [spec.traffic.steps: Invalid value: 0: spec.traffic.steps in body should have at least 1 items, "
            + "spec.traffic: Invalid value: \"object\": steps need at least one weight below 100]",
            Refusal("traffic: {steps: []}"));
        Assert.StartsWith(
            "Canary.labnet.io \"x\" is invalid: [spec.traffic.steps: Too many: 21: must have at most 20 items, ",
            Refusal("traffic: {steps: [" + string.Join(", ", Enumerable.Range(1, 21)) + "]}"));
        Assert.Equal(
            "Canary.labnet.io \"x\" is invalid: spec.analysis.interval: Invalid value: \"5 seconds\": spec.analysis.interval in body should match '^([0-9]+(\\.[0-9]+)?(ms|s|m|h))+$'",
            Refusal("analysis: {interval: 5 seconds}"));
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_refused_with_the_types()
    {
        Assert.Equal(
            "Canary.labnet.io \"x\" is invalid: [spec.traffic.stepSize: Invalid value: \"string\": spec.traffic.stepSize in body must be of type integer: \"string\", "
            + "<nil>: Invalid value: \"null\": some validation rules were not checked because the object was invalid; correct the existing errors to complete validation]",
            Refusal("traffic: {stepSize: twenty}"));
    }

    [Fact]
    public void Defaults_fill_every_absent_field_top_down_and_a_null_in_a_nullable_field_stays()
    {
        var (api, type) = Cluster();
        var canary = YamlManifests.ParseOne(Valid);
        canary["spec"]!["rollback"] = new JsonObject { ["duringAnalysis"] = null };
        canary["spec"]!["headerProbe"] = null;

        var stored = api.Create(type, "demo", canary, new WriteOptions());

        var spec = stored["spec"]!;
        Assert.Equal("v1", spec["target"]!["stableSubset"]!.GetValue<string>());
        Assert.Equal("v2", spec["target"]!["canarySubset"]!.GetValue<string>());
        Assert.True(spec["headerProbe"]!["enabled"]!.GetValue<bool>());
        Assert.Equal("x-canary", spec["headerProbe"]!["headerName"]!.GetValue<string>());
        Assert.Equal("5", spec["traffic"]!["splitTolerancePercent"]!.ToJsonString());
        Assert.Equal("5s", spec["analysis"]!["interval"]!.GetValue<string>());
        Assert.Equal("RouteToStable", spec["deadline"]!["onExpiry"]!.GetValue<string>());
        Assert.True(spec["rollback"]!.AsObject().ContainsKey("duringAnalysis"));
        Assert.Null(spec["rollback"]!["duringAnalysis"]);
        Assert.Equal("1", spec["rollback"]!["afterRollback"]!["consecutive5xxErrors"]!.ToJsonString());
        Assert.False(spec["dryRun"]!.GetValue<bool>());
    }

    [Fact]
    public void Unknown_fields_are_pruned_with_a_warning_or_refused_under_strict_validation()
    {
        var (api, type) = Cluster();
        var canary = YamlManifests.ParseOne(Valid);
        canary["spec"]!["traffic"] = new JsonObject { ["steps"] = new JsonArray(20, 100), ["speed"] = "fast" };
        var warn = new WriteOptions(FieldValidation: FieldValidation.Warn);

        var strict = Assert.Throws<KubernetesApiException>(() => api.Create(type, "demo", canary, new WriteOptions(FieldValidation: FieldValidation.Strict)));
        var stored = api.Create(type, "demo", canary, warn);

        Assert.Equal("Canary in version \"v1alpha1\" cannot be handled as a Canary: strict decoding error: unknown field \"spec.traffic.speed\"", strict.Message);
        Assert.Equal(["unknown field \"spec.traffic.speed\""], warn.Warnings);
        Assert.False(stored["spec"]!["traffic"]!.AsObject().ContainsKey("speed"));
    }

    [Fact]
    public void A_status_update_of_a_stored_canary_is_validated_against_the_status_schema()
    {
        var (api, type) = Cluster();
        var stored = api.Create(type, "demo", YamlManifests.ParseOne(Valid), new WriteOptions());
        var update = (JsonObject)stored.DeepClone();
        update["status"] = new JsonObject { ["phase"] = "Progressing", ["canaryWeight"] = 20 };
        var written = api.Replace(type, "demo", "x", update, "status", new WriteOptions());
        var bad = (JsonObject)written.DeepClone();
        bad["status"] = new JsonObject { ["phase"] = "Sideways" };
        var refused = Assert.Throws<KubernetesApiException>(() => api.Replace(type, "demo", "x", bad, "status", new WriteOptions()));

        Assert.Equal("20", written["status"]!["canaryWeight"]!.ToJsonString());
        Assert.StartsWith("Canary.labnet.io \"x\" is invalid: [status.phase: Unsupported value: \"Sideways\": supported values: \"Initializing\", ", refused.Message);
    }
}
