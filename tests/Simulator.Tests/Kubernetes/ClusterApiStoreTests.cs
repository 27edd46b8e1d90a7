using System.Text.Json.Nodes;
using LabNet.Simulator.Kubernetes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace LabNet.Simulator.Tests.Kubernetes;

/// <summary>The apiserver's storage semantics, without HTTP: resource versions, preconditions, generation, watches.</summary>
public sealed class ClusterApiStoreTests : IDisposable
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 26, 8, 0, 0, TimeSpan.Zero));
    private readonly ClusterApi _cluster;

    public ClusterApiStoreTests() =>
        _cluster = new ClusterApi(new ClusterBootstrap("unit", "10.20.0.0/16", "10.96.0.0/12", "v1.31.14", "unit-master", "192.168.65.10"),
            () => new Uri("http://127.0.0.1:1/clusters/unit"), _time, NullLogger.Instance, seed: 42);

    private ResourceType ConfigMaps => _cluster.Catalog.FindByPlural("", "v1", "configmaps")!;

    private ResourceType Deployments => _cluster.Catalog.FindByPlural("apps", "v1", "deployments")!;

    private static JsonObject ConfigMap(string name, string value, string? resourceVersion = null)
    {
        var metadata = new JsonObject { ["name"] = name, ["namespace"] = "default" };
        if (resourceVersion is not null)
        {
            metadata["resourceVersion"] = resourceVersion;
        }

        return new JsonObject { ["apiVersion"] = "v1", ["kind"] = "ConfigMap", ["metadata"] = metadata, ["data"] = new JsonObject { ["k"] = value } };
    }

    private static string Rv(JsonObject obj) => obj["metadata"]!["resourceVersion"]!.GetValue<string>();

    [Fact]
    public void Create_assigns_uid_resource_version_and_creation_time_from_the_clock()
    {
        var created = _cluster.Create(ConfigMaps, "default", ConfigMap("a", "1"), WriteOptions.Default);

        Assert.Matches("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$", created["metadata"]!["uid"]!.GetValue<string>());
        Assert.Equal("2026-11-26T08:00:00Z", created["metadata"]!["creationTimestamp"]!.GetValue<string>());
        Assert.True(long.Parse(Rv(created)) > 0);
        Assert.Null(created["metadata"]!["generation"]);
    }

    [Fact]
    public void Resource_versions_increase_across_all_kinds_and_namespaces()
    {
        var a = _cluster.Create(ConfigMaps, "default", ConfigMap("a", "1"), WriteOptions.Default);
        var ns = _cluster.Apply(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Namespace", ["metadata"] = new JsonObject { ["name"] = "other" } });
        var b = _cluster.Create(ConfigMaps, "default", ConfigMap("b", "1"), WriteOptions.Default);

        Assert.True(long.Parse(Rv(a)) < long.Parse(Rv(ns)));
        Assert.True(long.Parse(Rv(ns)) < long.Parse(Rv(b)));
    }

    [Fact]
    public void Update_with_a_stale_resource_version_is_a_409_Conflict_and_changes_nothing()
    {
        var created = _cluster.Create(ConfigMaps, "default", ConfigMap("a", "1"), WriteOptions.Default);
        _cluster.Replace(ConfigMaps, "default", "a", ConfigMap("a", "2", Rv(created)), null, WriteOptions.Default);

        var conflict = Assert.Throws<KubernetesApiException>(() =>
            _cluster.Replace(ConfigMaps, "default", "a", ConfigMap("a", "3", Rv(created)), null, WriteOptions.Default));

        Assert.Equal(409, conflict.Code);
        Assert.Equal("Conflict", conflict.Reason);
        Assert.Equal("2", _cluster.GetObject(ConfigMaps, "default", "a")["data"]!["k"]!.GetValue<string>());
    }

    [Fact]
    public void Update_without_a_resource_version_is_422_Invalid()
    {
        _cluster.Create(ConfigMaps, "default", ConfigMap("a", "1"), WriteOptions.Default);

        var error = Assert.Throws<KubernetesApiException>(() => _cluster.Replace(ConfigMaps, "default", "a", ConfigMap("a", "2"), null, WriteOptions.Default));

        Assert.Equal(422, error.Code);
        Assert.Equal("ConfigMap \"a\" is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update", error.Message);
    }

    [Fact]
    public void An_update_that_changes_nothing_keeps_the_resource_version()
    {
        var created = _cluster.Create(ConfigMaps, "default", ConfigMap("a", "1"), WriteOptions.Default);

        var same = _cluster.Replace(ConfigMaps, "default", "a", ConfigMap("a", "1", Rv(created)), null, WriteOptions.Default);

        Assert.Equal(Rv(created), Rv(same));
    }

    [Fact]
    public void Creating_a_duplicate_or_into_a_missing_namespace_fails_like_the_apiserver()
    {
        _cluster.Create(ConfigMaps, "default", ConfigMap("a", "1"), WriteOptions.Default);

        var duplicate = Assert.Throws<KubernetesApiException>(() => _cluster.Create(ConfigMaps, "default", ConfigMap("a", "1"), WriteOptions.Default));
        var elsewhere = ConfigMap("b", "1");
        elsewhere["metadata"]!["namespace"] = "nowhere";
        var missing = Assert.Throws<KubernetesApiException>(() => _cluster.Create(ConfigMaps, "nowhere", elsewhere, WriteOptions.Default));

        Assert.Equal((409, "AlreadyExists", "configmaps \"a\" already exists"), (duplicate.Code, duplicate.Reason, duplicate.Message));
        Assert.Equal((404, "NotFound", "namespaces \"nowhere\" not found"), (missing.Code, missing.Reason, missing.Message));
    }

    [Fact]
    public void Generation_moves_with_the_spec_but_not_with_metadata_or_status()
    {
        var deployment = JsonNode.Parse("""
            {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"default"},
             "spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},
                     "template":{"metadata":{"labels":{"app":"web"}},"spec":{"containers":[{"name":"web","image":"nginx"}]}}}}
            """)!.AsObject();
        _cluster.Create(Deployments, "default", deployment, WriteOptions.Default);

        var labelled = _cluster.Patch(Deployments, "default", "web", PatchTypes.Merge, JsonNode.Parse("""{"metadata":{"labels":{"tier":"front"}}}"""), null, WriteOptions.Default);
        var scaled = _cluster.Patch(Deployments, "default", "web", PatchTypes.Merge, JsonNode.Parse("""{"spec":{"replicas":3}}"""), null, WriteOptions.Default);

        Assert.Equal(1, ObjectFacts.Long(labelled["metadata"]!["generation"]));
        Assert.Equal(2, ObjectFacts.Long(scaled["metadata"]!["generation"]));
    }

    [Fact]
    public async Task A_watch_from_a_resource_version_replays_the_changes_after_it_in_order()
    {
        var first = _cluster.Create(ConfigMaps, "default", ConfigMap("a", "1"), WriteOptions.Default);
        _cluster.Create(ConfigMaps, "default", ConfigMap("b", "1"), WriteOptions.Default);
        _cluster.Patch(ConfigMaps, "default", "a", PatchTypes.Merge, JsonNode.Parse("""{"data":{"k":"2"}}"""), null, WriteOptions.Default);
        _cluster.Delete(ConfigMaps, "default", "b", WriteOptions.Default, null);

        using var watcher = _cluster.Watch(ConfigMaps, "default", LabelSelector.Everything, FieldSelector.Everything, long.Parse(Rv(first)), false);
        var events = new List<string>();
        while (events.Count < 3)
        {
            var change = await watcher.Events.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
            events.Add($"{change.Type} {ObjectFacts.Name(change.Object)}");
        }

        Assert.Equal(["ADDED b", "MODIFIED a", "DELETED b"], events);
    }

    [Fact]
    public void A_watch_from_a_resource_version_no_longer_held_is_410_Gone()
    {
        var store = new ClusterObjectStore(historyCapacity: 3);
        for (var i = 0; i < 10; i++)
        {
            store.Put("configmaps.", ConfigMap($"c{i}", "x"));
        }

        var gone = Assert.Throws<KubernetesApiException>(() => store.Watch("configmaps.", null, _ => true, 2));

        Assert.Equal(410, gone.Code);
        Assert.Equal("Expired", gone.Reason);
        Assert.Equal("too old resource version: 2 (7)", gone.Message);
    }

    [Fact]
    public async Task A_label_selector_watch_sees_an_object_leave_the_selection_as_DELETED()
    {
        var labelled = ConfigMap("a", "1");
        labelled["metadata"]!["labels"] = new JsonObject { ["app"] = "web" };
        _cluster.Create(ConfigMaps, "default", labelled, WriteOptions.Default);
        using var watcher = _cluster.Watch(ConfigMaps, "default", LabelSelector.Parse("app=web"), FieldSelector.Everything, null, false);

        _cluster.Patch(ConfigMaps, "default", "a", PatchTypes.Merge, JsonNode.Parse("""{"metadata":{"labels":{"app":"db"}}}"""), null, WriteOptions.Default);

        var initial = await watcher.Events.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        var left = await watcher.Events.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal("ADDED", initial.Type);
        Assert.Equal("DELETED", left.Type);
    }

    [Fact]
    public async Task Concurrent_writers_get_distinct_resource_versions()
    {
        var versions = await Task.WhenAll(Enumerable.Range(0, 200).Select(i => Task.Run(() =>
            Rv(_cluster.Create(ConfigMaps, "default", ConfigMap($"cm{i}", "v"), WriteOptions.Default)))));

        Assert.Equal(200, versions.Distinct().Count());
        Assert.Equal(200, _cluster.ListObjects(ConfigMaps, "default", LabelSelector.Everything, FieldSelector.Everything).Items.Count);
    }

    [Fact]
    public void Unknown_fields_are_dropped_with_a_warning_unless_validation_is_strict()
    {
        var body = ConfigMap("a", "1");
        body["dataa"] = new JsonObject();
        var strictBody = ConfigMap("b", "1");
        strictBody["dataa"] = 1;
        var warn = new WriteOptions(FieldValidation: FieldValidation.Warn);

        var created = _cluster.Create(ConfigMaps, "default", body, warn);
        var strict = Assert.Throws<KubernetesApiException>(() =>
            _cluster.Create(ConfigMaps, "default", strictBody, new WriteOptions(FieldValidation: FieldValidation.Strict)));

        Assert.Null(created["dataa"]);
        Assert.Equal(["unknown field \"dataa\""], warn.Warnings);
        Assert.Equal(400, strict.Code);
        Assert.Equal("ConfigMap in version \"v1\" cannot be handled as a ConfigMap: strict decoding error: unknown field \"dataa\"", strict.Message);
    }

    [Fact]
    public void Services_get_the_next_cluster_ip_and_a_requested_one_that_is_taken_is_rejected()
    {
        var services = _cluster.Catalog.FindByPlural("", "v1", "services")!;
        JsonObject Service(string name, string? ip = null)
        {
            var spec = new JsonObject { ["ports"] = new JsonArray(new JsonObject { ["port"] = 80 }) };
            if (ip is not null)
            {
                spec["clusterIP"] = ip;
            }

            return new JsonObject
            {
                ["apiVersion"] = "v1",
                ["kind"] = "Service",
                ["metadata"] = new JsonObject { ["name"] = name, ["namespace"] = "default" },
                ["spec"] = spec,
            };
        }

        var web = _cluster.Create(services, "default", Service("web"), WriteOptions.Default);
        var ip = web["spec"]!["clusterIP"]!.GetValue<string>();
        var taken = Assert.Throws<KubernetesApiException>(() => _cluster.Create(services, "default", Service("copy", ip), WriteOptions.Default));
        var outside = Assert.Throws<KubernetesApiException>(() => _cluster.Create(services, "default", Service("far", "192.168.1.1"), WriteOptions.Default));

        Assert.Matches(@"^10\.(9[6-9]|10\d|11[01])\.\d+\.\d+$", ip);
        Assert.Equal(80, ObjectFacts.Int(web["spec"]!["ports"]![0]!["targetPort"]));
        Assert.Equal(422, taken.Code);
        Assert.EndsWith($"failed to allocate IP {ip}: provided IP is already allocated", taken.Message);
        Assert.Contains("the provided IP (192.168.1.1) is not in the valid range. The range of valid IPs is 10.96.0.0/12", outside.Message);
    }

    [Fact]
    public void The_same_seed_gives_the_same_names_and_ips()
    {
        using var twin = new ClusterApi(_cluster.Bootstrap, () => _cluster.Server, _time, NullLogger.Instance, seed: 42);
        var services = _cluster.Catalog.FindByPlural("", "v1", "services")!;
        var service = JsonNode.Parse("""{"apiVersion":"v1","kind":"Service","metadata":{"name":"s","namespace":"default"},"spec":{"ports":[{"port":80}]}}""")!.AsObject();

        var a = _cluster.Create(services, "default", service, WriteOptions.Default);
        var b = twin.Create(services, "default", service, WriteOptions.Default);

        Assert.Equal(a["spec"]!["clusterIP"]!.GetValue<string>(), b["spec"]!["clusterIP"]!.GetValue<string>());
    }

    public void Dispose() => _cluster.Dispose();
}
