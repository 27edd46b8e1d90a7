using System.Text.RegularExpressions;

namespace LabNet.Simulator.Tests.Kubernetes;

/// <summary>The real kubectl changing a simulated cluster: apply, patch, delete, and the errors a real apiserver gives.</summary>
[Collection(SimulatorServerCollection.Name)]
public sealed class KubectlApplyTests(SimulatorServer server)
{
    private static async Task<TestCluster> WithDemoAsync(TestCluster cluster)
    {
        cluster.Kubectl.CopyManifests();
        foreach (var file in new[] { "crds.yaml", "demo/", "policies.yaml", "istio.yaml" })
        {
            var result = await cluster.Kubectl.RunAsync("apply", "-f", file);
            Assert.True(result.ExitCode == 0, result.ToString());
        }

        return cluster;
    }

    [Fact]
    public async Task Apply_of_a_multi_document_file_a_directory_and_custom_resources_creates_everything()
    {
        var cluster = server.CreateCluster();
        cluster.Kubectl.CopyManifests();

        var crds = await cluster.Kubectl.RunAsync("apply", "-f", "crds.yaml");
        var demo = await cluster.Kubectl.RunAsync("apply", "-f", "demo/");
        var custom = await cluster.Kubectl.RunAsync("apply", "-f", "policies.yaml", "-f", "istio.yaml");

        Assert.Equal("""
            customresourcedefinition.apiextensions.k8s.io/ciliumnetworkpolicies.cilium.io created
            customresourcedefinition.apiextensions.k8s.io/virtualservices.networking.istio.io created
            customresourcedefinition.apiextensions.k8s.io/destinationrules.networking.istio.io created
            """, crds.Stdout.Trim());
        Assert.Equal("""
            namespace/demo created
            deployment.apps/httpbin-v1 created
            deployment.apps/httpbin-v2 created
            service/httpbin created
            deployment.apps/nginx-web created
            service/nginx-web created
            """, demo.Stdout.Trim());
        Assert.Equal("""
            ciliumnetworkpolicy.cilium.io/default-deny created
            ciliumnetworkpolicy.cilium.io/allow-nginx-to-httpbin created
            virtualservice.networking.istio.io/httpbin created
            destinationrule.networking.istio.io/httpbin created
            """, custom.Stdout.Trim());
    }

    [Fact]
    public async Task Applying_the_same_manifests_again_changes_nothing()
    {
        var cluster = await WithDemoAsync(server.CreateCluster());
        foreach (var deployment in new[] { "httpbin-v1", "httpbin-v2", "nginx-web" })
        {
            // Settled first: the deployment controller writes status until the rollout is complete.
            Assert.Equal(0, (await cluster.Kubectl.RunAsync("rollout", "status", $"deployment/{deployment}", "-n", "demo", "--timeout=20s")).ExitCode);
        }

        var before = await cluster.Kubectl.RunAsync("get", "deploy,svc,cnp,vs,dr", "-n", "demo", "-o", "jsonpath={range .items[*]}{.metadata.resourceVersion} {end}");

        var again = await cluster.Kubectl.RunAsync("apply", "-f", "demo/", "-f", "policies.yaml", "-f", "istio.yaml");

        Assert.True(again.ExitCode == 0, again.ToString());
        var lines = again.Stdout.Trim().Split('\n');
        Assert.Equal(10, lines.Length);
        Assert.All(lines, line => Assert.EndsWith(" unchanged", line));
        var after = await cluster.Kubectl.RunAsync("get", "deploy,svc,cnp,vs,dr", "-n", "demo", "-o", "jsonpath={range .items[*]}{.metadata.resourceVersion} {end}");
        Assert.Equal(0, after.ExitCode);
        Assert.Equal(before.Stdout, after.Stdout);
    }

    [Fact]
    public async Task A_custom_resource_before_its_crd_fails_with_kubectls_no_matches_error()
    {
        var cluster = server.CreateCluster();
        cluster.Kubectl.CopyManifests();

        var result = await cluster.Kubectl.RunAsync("apply", "-f", "istio.yaml");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("""resource mapping not found for name: "httpbin" namespace: "demo" from "istio.yaml": no matches for kind "VirtualService" in version "networking.istio.io/v1" """.Trim(), result.Stderr);
        Assert.Contains("ensure CRDs are installed first", result.Stderr);
    }

    [Fact]
    public async Task Get_cnp_shows_the_policies_with_the_crd_printer_columns()
    {
        var cluster = await WithDemoAsync(server.CreateCluster());

        var result = await cluster.Kubectl.RunAsync("get", "cnp", "-n", "demo");

        Assert.True(result.ExitCode == 0, result.ToString());
        var lines = result.Stdout.TrimEnd().Split('\n');
        Assert.Matches(@"^NAME\s+AGE\s+VALID$", lines[0]);
        Assert.Matches(@"^allow-nginx-to-httpbin\s+\d+s\s*$", lines[1]);
        Assert.Matches(@"^default-deny\s+\d+s\s*$", lines[2]);
    }

    [Fact]
    public async Task Get_vs_and_dr_as_yaml_shows_both_kinds_as_stored()
    {
        var cluster = await WithDemoAsync(server.CreateCluster());

        var table = await cluster.Kubectl.RunAsync("get", "vs,dr", "-n", "demo");
        var yaml = await cluster.Kubectl.RunAsync("get", "vs,dr", "-n", "demo", "-o", "yaml");

        Assert.Matches(@"virtualservice\.networking\.istio\.io/httpbin\s+\[""httpbin""\]\s+\d+s", table.Stdout);
        Assert.Matches(@"destinationrule\.networking\.istio\.io/httpbin\s+httpbin\s+\d+s", table.Stdout);
        Assert.True(yaml.ExitCode == 0, yaml.ToString());
        Assert.Contains("kind: List", yaml.Stdout);
        Assert.Contains("- apiVersion: networking.istio.io/v1\n  kind: VirtualService", yaml.Stdout);
        Assert.Contains("- apiVersion: networking.istio.io/v1\n  kind: DestinationRule", yaml.Stdout);
        Assert.Contains("        weight: 90", yaml.Stdout);
        Assert.Contains("        consecutive5xxErrors: 3", yaml.Stdout);
        Assert.Matches(@"uid: [0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", yaml.Stdout);
        Assert.Matches(@"resourceVersion: ""\d+""", yaml.Stdout);
        Assert.DoesNotContain("status: null", yaml.Stdout);
    }

    [Fact]
    public async Task Patch_with_type_merge_scales_a_deployment_and_the_controller_follows()
    {
        var cluster = await WithDemoAsync(server.CreateCluster());

        var patch = await cluster.Kubectl.RunAsync("patch", "deployment", "nginx-web", "-n", "demo", "--type", "merge", "-p", """{"spec":{"replicas":1}}""");

        Assert.Equal("deployment.apps/nginx-web patched", patch.Stdout.Trim());
        var pods = await Eventually.WaitForAsync(
            () => cluster.Kubectl.RunAsync("get", "pods", "-n", "demo", "-l", "app=nginx-web", "-o", "name"),
            r => r.Stdout.Trim().Split('\n').Length == 1);
        Assert.Single(pods.Stdout.Trim().Split('\n'));
        var deployment = await Eventually.WaitForAsync(
            () => cluster.Kubectl.RunAsync("get", "deployment", "nginx-web", "-n", "demo"),
            r => Regex.IsMatch(r.Stdout, @"nginx-web\s+1/1\s+1\s+1\s"));
        Assert.Matches(@"nginx-web\s+1/1\s+1\s+1\s", deployment.Stdout);
    }

    [Fact]
    public async Task Patch_with_type_json_rewrites_virtualservice_weights()
    {
        var cluster = await WithDemoAsync(server.CreateCluster());

        var patch = await cluster.Kubectl.RunAsync("patch", "vs", "httpbin", "-n", "demo", "--type", "json", "-p",
            """[{"op":"replace","path":"/spec/http/1/route/0/weight","value":50},{"op":"replace","path":"/spec/http/1/route/1/weight","value":50}]""");
        var weights = await cluster.Kubectl.RunAsync("get", "vs", "httpbin", "-n", "demo", "-o", "jsonpath={.spec.http[1].route[*].weight} {.metadata.generation}");

        Assert.Equal("virtualservice.networking.istio.io/httpbin patched", patch.Stdout.Trim());
        Assert.Equal("50 50 2", weights.Stdout);
    }

    [Fact]
    public async Task Patch_with_type_json_on_a_missing_path_fails_and_changes_nothing()
    {
        var cluster = await WithDemoAsync(server.CreateCluster());

        var patch = await cluster.Kubectl.RunAsync("patch", "vs", "httpbin", "-n", "demo", "--type", "json", "-p",
            """[{"op":"replace","path":"/spec/http/1/route/0/weight","value":70},{"op":"replace","path":"/spec/nothing/here","value":1}]""");
        var weights = await cluster.Kubectl.RunAsync("get", "vs", "httpbin", "-n", "demo", "-o", "jsonpath={.spec.http[1].route[*].weight}");

        Assert.Equal(1, patch.ExitCode);
        Assert.Contains("replace operation does not apply: doc is missing key: /spec/nothing/here", patch.Stderr);
        Assert.Equal("90 10", weights.Stdout);
    }

    [Fact]
    public async Task Strategic_merge_patch_merges_containers_by_name_and_keeps_their_other_fields()
    {
        var cluster = await WithDemoAsync(server.CreateCluster());

        var patch = await cluster.Kubectl.RunAsync("patch", "deployment", "httpbin-v1", "-n", "demo", "-p",
            """{"spec":{"template":{"spec":{"containers":[{"name":"httpbin","image":"kong/httpbin:0.2.0"}]}}}}""");
        var container = await cluster.Kubectl.RunAsync("get", "deployment", "httpbin-v1", "-n", "demo", "-o",
            "jsonpath={.spec.template.spec.containers[*].name} {.spec.template.spec.containers[0].image} {.spec.template.spec.containers[0].env[0].value} {.spec.template.spec.containers[0].ports[0].containerPort}");

        Assert.Equal("deployment.apps/httpbin-v1 patched", patch.Stdout.Trim());
        Assert.Equal("httpbin kong/httpbin:0.2.0 v1 80", container.Stdout);
    }

    [Fact]
    public async Task Delete_f_removes_what_the_file_created()
    {
        var cluster = await WithDemoAsync(server.CreateCluster());

        var delete = await cluster.Kubectl.RunAsync("delete", "-f", "policies.yaml");
        var left = await cluster.Kubectl.RunAsync("get", "cnp", "-n", "demo");

        Assert.Equal("""
            ciliumnetworkpolicy.cilium.io "default-deny" deleted
            ciliumnetworkpolicy.cilium.io "allow-nginx-to-httpbin" deleted
            """, delete.Stdout.Trim());
        Assert.Equal("No resources found in demo namespace.", left.Stderr.Trim());
    }

    [Fact]
    public async Task Deleting_a_namespace_with_delete_f_removes_its_contents_too()
    {
        var cluster = await WithDemoAsync(server.CreateCluster());

        var delete = await cluster.Kubectl.RunAsync("delete", "-f", "demo/");
        var pods = await cluster.Kubectl.RunAsync("get", "pods", "-n", "demo");
        var ns = await cluster.Kubectl.RunAsync("get", "ns", "demo");

        Assert.True(delete.ExitCode == 0, delete.ToString());
        Assert.StartsWith("namespace \"demo\" deleted\ndeployment.apps \"httpbin-v1\" deleted", delete.Stdout);
        Assert.Equal("No resources found in demo namespace.", pods.Stderr.Trim());
        Assert.Equal("Error from server (NotFound): namespaces \"demo\" not found", ns.Stderr.Trim());
    }

    [Fact]
    public async Task Apply_with_an_unknown_field_fails_with_the_strict_decoding_error_and_creates_nothing()
    {
        var cluster = await WithDemoAsync(server.CreateCluster());

        var result = await cluster.Kubectl.RunAsync("apply", "-f", "bad-deployment.yaml");
        var get = await cluster.Kubectl.RunAsync("get", "deployment", "typo", "-n", "demo");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("""
            Error from server (BadRequest): error when creating "bad-deployment.yaml": Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replica", unknown field "spec.template.spec.containers[0].imagePullPolicyy"
            """, result.Stderr.Trim());
        Assert.Equal(1, get.ExitCode);
    }

    [Fact]
    public async Task Validation_errors_come_back_as_Invalid_with_the_field()
    {
        var cluster = server.CreateCluster();
        cluster.Kubectl.WriteFile("mismatch.yaml", """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: mismatch
              namespace: default
            spec:
              selector:
                matchLabels:
                  app: a
              template:
                metadata:
                  labels:
                    app: b
                spec:
                  containers:
                  - name: app
                    image: nginx
            """);

        var result = await cluster.Kubectl.RunAsync("apply", "-f", "mismatch.yaml");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("""
            The Deployment "mismatch" is invalid: spec.template.metadata.labels: Invalid value: map[string]string{"app":"b"}: `selector` does not match template `labels`
            """, result.Stderr.Trim());
    }

    [Fact]
    public async Task Creating_an_existing_object_fails_with_AlreadyExists()
    {
        var cluster = server.CreateCluster();
        cluster.Kubectl.WriteFile("cm.yaml", """
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: settings
              namespace: default
            data:
              mode: lab
            """);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("create", "-f", "cm.yaml")).ExitCode);

        var again = await cluster.Kubectl.RunAsync("create", "-f", "cm.yaml");

        Assert.Equal(1, again.ExitCode);
        Assert.Equal("Error from server (AlreadyExists): error when creating \"cm.yaml\": configmaps \"settings\" already exists", again.Stderr.Trim());
    }

    [Fact]
    public async Task Replacing_with_a_stale_resource_version_fails_with_Conflict()
    {
        var cluster = server.CreateCluster();
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("create", "configmap", "settings", "-n", "default", "--from-literal=mode=lab")).ExitCode);
        var stale = await cluster.Kubectl.RunAsync("get", "configmap", "settings", "-n", "default", "-o", "yaml");
        cluster.Kubectl.WriteFile("stale.yaml", stale.Stdout.Replace("mode: lab", "mode: stale", StringComparison.Ordinal));
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("patch", "configmap", "settings", "-n", "default", "--type", "merge", "-p", """{"data":{"mode":"newer"}}""")).ExitCode);

        var replace = await cluster.Kubectl.RunAsync("replace", "-f", "stale.yaml");
        var mode = await cluster.Kubectl.RunAsync("get", "configmap", "settings", "-n", "default", "-o", "jsonpath={.data.mode}");

        Assert.Equal(1, replace.ExitCode);
        Assert.Equal("""
            Error from server (Conflict): error when replacing "stale.yaml": Operation cannot be fulfilled on configmaps "settings": the object has been modified; please apply your changes to the latest version and try again
            """, replace.Stderr.Trim());
        Assert.Equal("newer", mode.Stdout);
    }

    [Fact]
    public async Task Applying_an_edited_manifest_removes_what_was_taken_out_and_keeps_what_others_added()
    {
        var cluster = await WithDemoAsync(server.CreateCluster());
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("label", "deployment", "httpbin-v1", "-n", "demo", "owner=someone-else")).ExitCode);
        var edited = File.ReadAllText(Path.Combine(cluster.Kubectl.WorkingDirectory, "demo", "10-httpbin.yaml"))
            .Replace("        env:\n        - name: VERSION\n          value: v1\n", "", StringComparison.Ordinal)
            .Replace("replicas: 2", "replicas: 3", StringComparison.Ordinal);
        Assert.DoesNotContain("VERSION", edited);
        cluster.Kubectl.WriteFile("edited.yaml", edited);

        var apply = await cluster.Kubectl.RunAsync("apply", "-f", "edited.yaml");
        var result = await cluster.Kubectl.RunAsync("get", "deployment", "httpbin-v1", "-n", "demo", "-o",
            "jsonpath={.spec.replicas} {.spec.template.spec.containers[0].env} {.metadata.labels.owner} {.spec.template.spec.containers[0].image}");

        Assert.Equal("""
            deployment.apps/httpbin-v1 configured
            deployment.apps/httpbin-v2 unchanged
            service/httpbin unchanged
            """, apply.Stdout.Trim());
        Assert.Equal("3  someone-else kong/httpbin:0.1.0", result.Stdout);
    }

    [Fact]
    public async Task A_custom_resource_is_validated_against_its_crd_schema()
    {
        var cluster = await WithDemoAsync(server.CreateCluster());
        cluster.Kubectl.WriteFile("typo-cnp.yaml", """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata:
              name: typo
              namespace: demo
            spec:
              endpointSelectr: {}
            """);
        cluster.Kubectl.WriteFile("wrong-type-cnp.yaml", """
            apiVersion: cilium.io/v2
            kind: CiliumNetworkPolicy
            metadata:
              name: wrong
              namespace: demo
            spec:
              description: 42
            """);

        var unknown = await cluster.Kubectl.RunAsync("apply", "-f", "typo-cnp.yaml");
        var wrongType = await cluster.Kubectl.RunAsync("apply", "-f", "wrong-type-cnp.yaml");

        Assert.Equal(1, unknown.ExitCode);
        Assert.Equal("""
            Error from server (BadRequest): error when creating "typo-cnp.yaml": CiliumNetworkPolicy in version "v2" cannot be handled as a CiliumNetworkPolicy: strict decoding error: unknown field "spec.endpointSelectr"
            """, unknown.Stderr.Trim());
        Assert.Equal(1, wrongType.ExitCode);
        Assert.Contains("""The CiliumNetworkPolicy "wrong" is invalid: spec.description: Invalid value: "integer": spec.description in body must be of type string: "integer" """.Trim(), wrongType.Stderr);
    }

    [Fact]
    public async Task Rbac_names_are_path_segments_so_system_colon_names_are_accepted_and_a_slash_is_refused()
    {
        var cluster = server.CreateCluster();

        var colon = await cluster.Kubectl.RunAsync("create", "clusterrole", "system:metrics-server-aggregated-reader", "--verb=get", "--resource=pods");
        var slash = await cluster.Kubectl.RunAsync("create", "clusterrole", "a/b", "--verb=get", "--resource=pods");
        var configMap = await cluster.Kubectl.RunAsync("create", "configmap", "system:x");

        Assert.True(colon.ExitCode == 0, colon.ToString());
        Assert.Equal(1, slash.ExitCode);
        Assert.Contains("may not contain '/'", slash.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, configMap.ExitCode);
        Assert.Contains("a lowercase RFC 1123 subdomain", configMap.Stderr, StringComparison.Ordinal);
    }
}
