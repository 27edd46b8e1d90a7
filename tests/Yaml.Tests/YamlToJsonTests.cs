using System.Text.Json.Nodes;
using LabNet.Yaml;

namespace LabNet.Yaml.Tests;

/// <summary>Whole documents as kubectl apply and helm turn them into JSON (sigs.k8s.io/yaml's YAMLToJSON).</summary>
public sealed class YamlToJsonTests
{
    private static string Json(string yaml) => YamlToJson.Parse(yaml)!.ToJsonString();

    [Fact]
    public void Plain_scalars_are_typed_and_quoted_or_block_ones_stay_strings()
    {
        var json = Json("""
            replicas: 3
            port: "80"
            enabled: yes
            quotedYes: 'yes'
            ratio: 0.5
            mode: 0644
            empty:
            tilde: ~
            created: 2024-01-01
            literal: |
              on
            folded: >
              42
            last: end
            """);

        Assert.Equal("""{"replicas":3,"port":"80","enabled":true,"quotedYes":"yes","ratio":0.5,"mode":420,"empty":null,"tilde":null,"created":"2024-01-01","literal":"on\n","folded":"42\n","last":"end"}""", json);
    }

    [Fact]
    public void Keys_become_strings_the_way_sigs_k8s_io_yaml_writes_them()
    {
        var json = Json("""
            yes: a
            off: b
            1: c
            0x10: d
            1.5: e
            "on": f
            2024-01-01: g
            """);

        Assert.Equal("""{"true":"a","false":"b","1":"c","16":"d","1.5":"e","on":"f","2024-01-01":"g"}""", json);
    }

    [Fact]
    public void Explicit_tags_decide_over_the_text()
    {
        var json = Json("""
            a: !!str 123
            b: !!str yes
            c: !!int "7"
            d: !!binary aGVsbG8=
            """);

        Assert.Equal("""{"a":"123","b":"yes","c":7,"d":"hello"}""", json);
    }

    [Fact]
    public void A_tag_that_does_not_fit_the_text_is_refused()
    {
        var error = Assert.Throws<YamlToJsonException>(() => YamlToJson.Parse("replicas: !!int three\n"));

        Assert.Equal("cannot decode !!str `three` as a !!int", error.Problem);
        Assert.Equal("""{"a":1}""", Json("a: !!float 1\n"));
    }

    [Fact]
    public void Anchors_aliases_and_merge_keys_are_resolved()
    {
        var json = Json("""
            base: &base
              app: web
              tier: front
            copy: *base
            merged:
              <<: *base
              tier: back
            """);

        Assert.Equal("""{"base":{"app":"web","tier":"front"},"copy":{"app":"web","tier":"front"},"merged":{"app":"web","tier":"back"}}""", json);
    }

    [Fact]
    public void Every_document_of_a_stream_is_returned_and_an_empty_one_is_null()
    {
        var documents = YamlToJson.ParseDocuments("""
            kind: A
            ---
            ---
            - 1
            - two
            """);

        Assert.Equal(3, documents.Count);
        Assert.Equal("""{"kind":"A"}""", documents[0]!.ToJsonString());
        Assert.Null(documents[1]);
        Assert.Equal("""[1,"two"]""", documents[2]!.ToJsonString());
    }

    [Fact]
    public void An_empty_stream_has_no_document()
    {
        Assert.Empty(YamlToJson.ParseDocuments(""));
        Assert.Null(YamlToJson.Parse("# only a comment\n"));
    }

    [Theory]
    [InlineData("a: .inf", "json: unsupported value: +Inf", 1, 4)]
    [InlineData("a:\n  - -.inf", "json: unsupported value: -Inf", 2, 5)]
    [InlineData("a: .nan", "json: unsupported value: NaN", 1, 4)]
    [InlineData("~: x", "unsupported map key of type: <nil>, key: ~", 1, 1)]
    [InlineData("18446744073709551615: x", "unsupported map key of type: uint64, key: 18446744073709551615", 1, 1)]
    [InlineData("? [a, b]\n: x", "unsupported map key of type: []interface {}", 1, 3)]
    public void Values_JSON_cannot_hold_are_refused_where_they_are(string yaml, string problem, int line, int column)
    {
        var error = Assert.Throws<YamlToJsonException>(() => YamlToJson.Parse(yaml));

        Assert.Equal(problem, error.Problem);
        Assert.Equal((line, column), (error.Line, error.Column));
    }

    [Fact]
    public void Text_that_is_not_yaml_is_refused_with_its_line()
    {
        var error = Assert.Throws<YamlToJsonException>(() => YamlToJson.Parse("a: b\n  c: d: e\n"));

        Assert.Equal(2, error.Line);
        Assert.StartsWith("line 2, column ", error.Message);
        Assert.DoesNotContain("Line:", error.Problem);
    }

    [Fact]
    public void A_later_duplicate_of_a_key_wins_and_so_does_a_later_merge_as_in_go_yaml_v2()
    {
        Assert.Equal("""{"true":2}""", Json("yes: 1\ntrue: 2\n"));
        Assert.Equal("""{"base":{"tier":"front"},"merged":{"tier":"front"}}""", Json("base: &b\n  tier: front\nmerged:\n  tier: back\n  <<: *b\n"));
    }

    [Fact]
    public void A_json_document_reads_unchanged()
    {
        const string json = """{"apiVersion":"v1","kind":"ConfigMap","data":{"a":"1","b":"true"},"n":[1,2.5,null,false]}""";

        Assert.Equal(json, YamlToJson.Parse(json)!.ToJsonString());
    }

    [Fact]
    public void Numbers_that_are_labels_in_a_manifest_must_be_quoted_or_they_are_numbers()
    {
        var node = YamlToJson.Parse("""
            metadata:
              labels:
                version: 1.10
                release: "1.10"
            """)!;

        Assert.Equal(System.Text.Json.JsonValueKind.Number, node["metadata"]!["labels"]!["version"]!.GetValueKind());
        Assert.Equal("1.10", node["metadata"]!["labels"]!["release"]!.GetValue<string>());
    }
}
