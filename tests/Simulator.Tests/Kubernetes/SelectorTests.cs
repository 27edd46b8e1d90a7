using System.Text.Json.Nodes;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Tests.Kubernetes;

public sealed class SelectorTests
{
    private static JsonObject Labelled(string labels) =>
        new() { ["metadata"] = new JsonObject { ["name"] = "x", ["labels"] = JsonNode.Parse(labels) } };

    [Theory]
    [InlineData("app=web", """{"app":"web"}""", true)]
    [InlineData("app==web", """{"app":"db"}""", false)]
    [InlineData("app!=web", """{}""", true)]
    [InlineData("tier in (front, back),app", """{"tier":"back","app":"x"}""", true)]
    [InlineData("tier notin (front,back)", """{"tier":"front"}""", false)]
    [InlineData("tier notin (front,back)", """{}""", true)]
    [InlineData("!canary", """{"canary":"true"}""", false)]
    [InlineData("app=web,version=v2", """{"app":"web","version":"v1"}""", false)]
    public void Label_selectors_follow_the_kubernetes_grammar(string selector, string labels, bool matches) =>
        Assert.Equal(matches, LabelSelector.Parse(selector).MatchesObject(Labelled(labels)));

    [Fact]
    public void Match_expressions_select_like_match_labels()
    {
        var selector = LabelSelector.FromJson(JsonNode.Parse("""
            {"matchLabels":{"app":"web"},"matchExpressions":[{"key":"version","operator":"In","values":["v1","v2"]},{"key":"canary","operator":"DoesNotExist"}]}
            """));

        Assert.True(selector.MatchesObject(Labelled("""{"app":"web","version":"v2"}""")));
        Assert.False(selector.MatchesObject(Labelled("""{"app":"web","version":"v3"}""")));
        Assert.False(selector.MatchesObject(Labelled("""{"app":"web","version":"v1","canary":"1"}""")));
    }

    [Fact]
    public void Field_selectors_match_pod_fields_and_reject_unsupported_ones()
    {
        var pods = BuiltInResources.All.Single(t => t.Kind == "Pod");
        var pod = JsonNode.Parse("""{"metadata":{"name":"p","namespace":"demo"},"spec":{"nodeName":"w1"},"status":{"phase":"Running"}}""")!.AsObject();

        Assert.True(FieldSelector.Parse("spec.nodeName=w1,status.phase!=Pending,metadata.namespace=demo", pods).Matches(pod));
        Assert.False(FieldSelector.Parse("metadata.name=q", pods).Matches(pod));
        var error = Assert.Throws<KubernetesApiException>(() => FieldSelector.Parse("spec.image=nginx", pods));
        Assert.Equal((400, "field label not supported: spec.image"), (error.Code, error.Message));
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(119, "119s")]
    [InlineData(150, "2m30s")]
    [InlineData(600, "10m")]
    [InlineData(3 * 3600 + 5 * 60, "3h5m")]
    [InlineData(30 * 3600, "30h")]
    [InlineData(3 * 86400 + 4 * 3600, "3d4h")]
    [InlineData(400 * 86400, "400d")]
    public void Ages_print_like_the_apiserver(int seconds, string expected) =>
        Assert.Equal(expected, HumanDuration.Format(TimeSpan.FromSeconds(seconds)));

    [Fact]
    public void Printer_column_json_paths_support_filters_and_indexes()
    {
        var obj = JsonNode.Parse("""{"status":{"conditions":[{"type":"Ready","status":"False"},{"type":"Valid","status":"True"}]},"spec":{"hosts":["a","b"]}}""");

        Assert.Equal("True", SimpleJsonPath.Evaluate(obj, ".status.conditions[?(@.type=='Valid')].status").Single()!.GetValue<string>());
        Assert.Equal("b", SimpleJsonPath.Evaluate(obj, ".spec.hosts[1]").Single()!.GetValue<string>());
        Assert.Empty(SimpleJsonPath.Evaluate(obj, ".spec.missing"));
    }
}
