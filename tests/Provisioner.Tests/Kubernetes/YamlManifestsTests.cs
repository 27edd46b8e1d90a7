using System.Text.Json.Nodes;
using LabNet.Provisioner.Kubernetes;

namespace LabNet.Provisioner.Tests.Kubernetes;

public sealed class YamlManifestsTests
{
    [Fact]
    public void Multi_document_yaml_becomes_objects_with_scalars_typed_as_kubectl_types_them()
    {
        var manifests = YamlManifests.Load("demo.yaml", """
            apiVersion: v1
            kind: Namespace
            metadata:
              name: demo
              labels:
                istio-injection: enabled
            ---
            # a comment-only document in between
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: httpbin, namespace: demo}
            spec:
              replicas: 2
              paused: false
              revisionHistoryLimit: 0x0A
              template:
                metadata:
                  annotations:
                    sidecar.istio.io/inject: "false"
                    ratio: 0.5
                spec:
                  hostNetwork: yes
                  containers:
                  - name: httpbin
                    ports: [{containerPort: 80}]
                    env: [{name: EMPTY, value: ""}, {name: TILDE, value: ~}]
            """);

        Assert.Equal(["Namespace demo (demo.yaml#1)", "Deployment demo/httpbin (demo.yaml#3)"], manifests.Select(m => m.ToString()));
        var spec = manifests[1].Object["spec"]!;
        Assert.Equal(2L, spec["replicas"]!.GetValue<long>());
        Assert.False(spec["paused"]!.GetValue<bool>());
        Assert.Equal(10L, spec["revisionHistoryLimit"]!.GetValue<long>());
        Assert.True(spec["template"]!["spec"]!["hostNetwork"]!.GetValue<bool>());
        Assert.Equal("false", spec["template"]!["metadata"]!["annotations"]!["sidecar.istio.io/inject"]!.GetValue<string>());
        Assert.Equal(0.5, spec["template"]!["metadata"]!["annotations"]!["ratio"]!.GetValue<double>());
        Assert.Equal(80L, spec["template"]!["spec"]!["containers"]![0]!["ports"]![0]!["containerPort"]!.GetValue<long>());
        Assert.Equal("", spec["template"]!["spec"]!["containers"]![0]!["env"]![0]!["value"]!.GetValue<string>());
        Assert.Null(spec["template"]!["spec"]!["containers"]![0]!["env"]![1]!["value"]);
    }

    [Fact]
    public void A_document_without_kind_is_rejected_naming_the_file_and_document()
    {
        var error = Assert.Throws<ManifestException>(() => YamlManifests.Load("bad.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n---\napiVersion: v1\nmetadata: {name: b}\n"));

        Assert.Contains("bad.yaml: document 2", error.Message);
        Assert.Contains("kind", error.Message);
    }

    [Fact]
    public void A_kind_that_is_not_a_string_is_rejected()
    {
        var error = Assert.Throws<ManifestException>(() => YamlManifests.Load("odd.yaml", "apiVersion: v1\nkind: [Namespace]\nmetadata: {name: a}\n"));

        Assert.Contains("odd.yaml: document 1", error.Message);
    }

    [Fact]
    public void Broken_yaml_is_rejected_with_its_line()
    {
        var error = Assert.Throws<ManifestException>(() => YamlManifests.Load("broken.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: \"unterminated\n"));

        Assert.StartsWith("broken.yaml:", error.Message);
        Assert.Contains("not valid YAML", error.Message);
    }
}
