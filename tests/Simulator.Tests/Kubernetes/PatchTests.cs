using System.Text.Json.Nodes;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Tests.Kubernetes;

public sealed class PatchTests
{
    private static JsonObject Obj(string json) => JsonNode.Parse(json)!.AsObject();

    private static string Canonical(JsonNode? node) => ObjectFacts.Canonical(node);

    [Fact]
    public void Merge_patch_replaces_lists_merges_maps_and_null_deletes()
    {
        var result = JsonMergePatch.Apply(Obj("""{"a":{"b":1,"c":2},"l":[1,2],"k":"v"}"""), Obj("""{"a":{"b":null,"d":3},"l":[3],"k":null}"""));

        Assert.Equal(Canonical(Obj("""{"a":{"c":2,"d":3},"l":[3]}""")), Canonical(result));
    }

    [Fact]
    public void Json_patch_applies_every_operation_in_order()
    {
        var result = JsonPatch.Apply(Obj("""{"spec":{"list":["a","b"],"x":1}}"""), JsonNode.Parse("""
            [{"op":"add","path":"/spec/list/1","value":"new"},
             {"op":"remove","path":"/spec/list/0"},
             {"op":"replace","path":"/spec/x","value":2},
             {"op":"copy","from":"/spec/x","path":"/spec/y"},
             {"op":"move","from":"/spec/y","path":"/spec/z"},
             {"op":"add","path":"/spec/list/-","value":"end"},
             {"op":"test","path":"/spec/z","value":2},
             {"op":"add","path":"/metadata~1x","value":true}]
            """));

        Assert.Equal(Canonical(Obj("""{"spec":{"list":["new","b","end"],"x":2,"z":2},"metadata/x":true}""")), Canonical(result));
    }

    [Theory]
    [InlineData("""[{"op":"test","path":"/a","value":2}]""", "testing value /a failed: test failed")]
    [InlineData("""[{"op":"remove","path":"/b"}]""", "remove operation does not apply: doc is missing path: \"/b\": missing value")]
    [InlineData("""[{"op":"replace","path":"/b/c","value":1}]""", "replace operation does not apply: doc is missing key: /b/c: missing value")]
    public void Json_patch_failures_name_the_path(string patch, string message)
    {
        var error = Assert.Throws<JsonPatchException>(() => JsonPatch.Apply(Obj("""{"a":1}"""), JsonNode.Parse(patch)));

        Assert.Equal(message, error.Message);
    }

    private static readonly JsonObject Deployment = Obj("""
        {"spec":{"template":{"spec":{"containers":[
          {"name":"app","image":"app:1","env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],"ports":[{"containerPort":80},{"containerPort":443}],"args":["--x"]},
          {"name":"sidecar","image":"proxy:1"}]}}}}
        """);

    [Fact]
    public void Strategic_merge_patch_merges_containers_env_and_ports_by_their_keys()
    {
        var patch = Obj("""
            {"spec":{"template":{"spec":{"containers":[
              {"name":"app","image":"app:2","env":[{"name":"B","value":"3"},{"name":"C","value":"4"}],"ports":[{"containerPort":8080}],"args":["--y"]}]}}}}
            """);

        var result = StrategicMergePatch.Apply(Deployment, patch, BuiltInSchemas.Deployment);

        var containers = result["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(2, containers.Count);
        Assert.Equal("app:2", containers[0]!["image"]!.GetValue<string>());
        Assert.Equal("""[{"name":"A","value":"1"},{"name":"B","value":"3"},{"name":"C","value":"4"}]""", containers[0]!["env"]!.ToJsonString());
        Assert.Equal("""[{"containerPort":80},{"containerPort":443},{"containerPort":8080}]""", containers[0]!["ports"]!.ToJsonString());
        Assert.Equal("""["--y"]""", containers[0]!["args"]!.ToJsonString());
        Assert.Equal("proxy:1", containers[1]!["image"]!.GetValue<string>());
    }

    [Fact]
    public void Strategic_merge_patch_honours_patch_delete_replace_and_element_order_directives()
    {
        var patch = Obj("""
            {"spec":{"template":{"spec":{
              "$setElementOrder/containers":[{"name":"sidecar"},{"name":"app"}],
              "containers":[
                {"name":"app","env":[{"name":"A","$patch":"delete"}],"$setElementOrder/env":[{"name":"B"}]},
                {"name":"sidecar","image":"proxy:2"}]}}}}
            """);

        var result = StrategicMergePatch.Apply(Deployment, patch, BuiltInSchemas.Deployment);
        var replaced = StrategicMergePatch.Apply(Deployment, Obj("""{"spec":{"template":{"spec":{"containers":[{"name":"only","image":"x"},{"$patch":"replace"}]}}}}"""), BuiltInSchemas.Deployment);
        var mapReplaced = StrategicMergePatch.Apply(Obj("""{"metadata":{"labels":{"a":"1","b":"2"}}}"""), Obj("""{"metadata":{"labels":{"$patch":"replace","c":"3"}}}"""), BuiltInSchemas.Deployment);

        var containers = result["spec"]!["template"]!["spec"]!["containers"]!.AsArray();
        Assert.Equal(["sidecar", "app"], containers.Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal("""[{"name":"B","value":"2"}]""", containers[1]!["env"]!.ToJsonString());
        Assert.Equal("""[{"name":"only","image":"x"}]""", replaced["spec"]!["template"]!["spec"]!["containers"]!.ToJsonString());
        Assert.Equal("""{"c":"3"}""", mapReplaced["metadata"]!["labels"]!.ToJsonString());
    }

    [Fact]
    public void Strategic_merge_patch_deletes_from_primitive_lists_and_retains_keys()
    {
        var original = Obj("""{"metadata":{"finalizers":["a","b","c"]},"spec":{"strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1}}}}""");
        var patch = Obj("""
            {"metadata":{"$deleteFromPrimitiveList/finalizers":["b"],"finalizers":["d"]},
             "spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate","rollingUpdate":null}}}
            """);

        var result = StrategicMergePatch.Apply(original, patch, BuiltInSchemas.Deployment);

        Assert.Equal("""["a","c","d"]""", result["metadata"]!["finalizers"]!.ToJsonString());
        Assert.Equal("""{"type":"Recreate"}""", result["spec"]!["strategy"]!.ToJsonString());
    }
}
