namespace LabNet.Simulator.Tests.Kubernetes.Admission;

/// <summary>
/// The real kubectl applying Canaries the shipped CRD's rules refuse: it prints the API server's message (the rule's
/// message for x-kubernetes-validations, the OpenAPI wording for the schema), exits 1, and nothing is stored.
/// </summary>
[Collection(SimulatorServerCollection.Name)]
public sealed class KubectlCanaryAdmissionTests(SimulatorServer server)
{
    private static string Canary(string traffic, string subsets = "") => $$"""
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
            {{subsets}}
          traffic:
            steps: {{traffic}}
        """;

    private async Task<(ProcessResult Apply, ProcessResult Get)> ApplyAsync(string manifest)
    {
        var cluster = server.CreateCluster();
        var crd = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "manifests", "crds", "canary.yaml"));
        cluster.Kubectl.WriteFile("crd.yaml", crd);
        cluster.Kubectl.WriteFile("canary.yaml", manifest);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "crd.yaml")).ExitCode);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("create", "namespace", "demo")).ExitCode);

        var apply = await cluster.Kubectl.RunAsync("apply", "-f", "canary.yaml");
        var get = await cluster.Kubectl.RunAsync("get", "canaries", "-n", "demo");
        return (apply, get);
    }

    [Fact]
    public async Task Unsorted_steps_are_refused_with_the_rules_message_and_nothing_is_stored()
    {
        var (apply, get) = await ApplyAsync(Canary("[50, 20, 80]"));

        Assert.Equal(1, apply.ExitCode);
        Assert.Equal("The Canary \"x\" is invalid: spec.traffic: Invalid value: \"object\": steps must increase (e.g. 20, 50, 80, 100)\n", apply.Stderr);
        Assert.Equal("No resources found in demo namespace.\n", get.Stderr);
    }

    [Fact]
    public async Task A_step_over_100_is_refused_with_the_schemas_maximum()
    {
        var (apply, get) = await ApplyAsync(Canary("[20, 50, 120]"));

        Assert.Equal(1, apply.ExitCode);
        Assert.Equal("The Canary \"x\" is invalid: spec.traffic.steps[2]: Invalid value: 120: spec.traffic.steps[2] in body should be less than or equal to 100\n", apply.Stderr);
        Assert.Equal("No resources found in demo namespace.\n", get.Stderr);
    }

    [Fact]
    public async Task Equal_subsets_are_refused_by_the_target_rule()
    {
        var (apply, get) = await ApplyAsync(Canary("[20, 50, 100]", "stableSubset: v1\n    canarySubset: v1"));

        Assert.Equal(1, apply.ExitCode);
        Assert.Equal("The Canary \"x\" is invalid: spec.target: Invalid value: \"object\": stableSubset and canarySubset must name two different DestinationRule subsets\n", apply.Stderr);
        Assert.Equal("No resources found in demo namespace.\n", get.Stderr);
    }

    [Fact]
    public async Task Unsorted_steps_with_one_over_100_show_both_errors_as_kubectl_lists_them()
    {
        var (apply, get) = await ApplyAsync(Canary("[50, 20, 120]"));

        Assert.Equal(1, apply.ExitCode);
        Assert.Equal(
            "The Canary \"x\" is invalid: \n"
            + "* spec.traffic.steps[2]: Invalid value: 120: spec.traffic.steps[2] in body should be less than or equal to 100\n"
            + "* spec.traffic: Invalid value: \"object\": steps must increase (e.g. 20, 50, 80, 100)\n",
            apply.Stderr);
        Assert.Equal("No resources found in demo namespace.\n", get.Stderr);
    }

    [Fact]
    public async Task The_shipped_canary_is_created()
    {
        var manifest = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "manifests", "canary", "httpbin-canary.yaml"));

        var (apply, get) = await ApplyAsync(manifest);

        Assert.True(apply.ExitCode == 0, apply.ToString());
        Assert.Equal("canary.labnet.io/httpbin created\n", apply.Stdout);
        Assert.StartsWith("NAME", get.Stdout);
    }
}
