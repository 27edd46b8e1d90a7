using System.Text.Json.Nodes;
using LabNet.Provisioner.Kubernetes;

namespace LabNet.Provisioner.Tests.Kubernetes;

public sealed class JsonSubsetTests
{
    private static readonly JsonObject Live = JsonNode.Parse("""
        {"metadata":{"name":"httpbin","uid":"1","resourceVersion":"7","labels":{"app":"httpbin"}},
         "spec":{"replicas":2,"template":{"spec":{"containers":[{"name":"httpbin","image":"kong/httpbin","terminationMessagePath":"/dev/termination-log"}]}}},
         "status":{"readyReplicas":2}}
        """)!.AsObject();

    [Fact]
    public void A_live_object_with_server_defaults_still_contains_its_manifest()
    {
        var desired = JsonNode.Parse("""{"metadata":{"name":"httpbin","labels":{"app":"httpbin"}},"spec":{"replicas":2,"template":{"spec":{"containers":[{"name":"httpbin","image":"kong/httpbin"}]}}}}""");

        Assert.True(JsonSubset.Contains(Live, desired));
    }

    [Theory]
    [InlineData("""{"spec":{"replicas":3}}""")]
    [InlineData("""{"metadata":{"labels":{"version":"v1"}}}""")]
    [InlineData("""{"spec":{"template":{"spec":{"containers":[{"name":"httpbin"},{"name":"sidecar"}]}}}}""")]
    [InlineData("""{"spec":{"template":{"spec":{"containers":[{"name":"httpbin","image":"kong/httpbin:2"}]}}}}""")]
    public void A_changed_field_is_a_difference(string desired)
    {
        Assert.False(JsonSubset.Contains(Live, JsonNode.Parse(desired)));
    }

    [Fact]
    public void Overlay_keeps_server_fields_and_replaces_what_the_manifest_sets()
    {
        var merged = JsonSubset.Overlay(Live, JsonNode.Parse("""{"metadata":{"labels":{"app":"httpbin","version":"v1"}},"spec":{"replicas":3}}""")!.AsObject());

        Assert.Equal("7", merged["metadata"]!["resourceVersion"]!.GetValue<string>());
        Assert.Equal("v1", merged["metadata"]!["labels"]!["version"]!.GetValue<string>());
        Assert.Equal(3, merged["spec"]!["replicas"]!.GetValue<int>());
        Assert.Equal("kong/httpbin", merged["spec"]!["template"]!["spec"]!["containers"]![0]!["image"]!.GetValue<string>());
    }
}
