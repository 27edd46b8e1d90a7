using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LabNet.Simulator.Tests.LabWorld;

namespace LabNet.Simulator.Tests.Helm;

/// <summary>helm against a kubeadm cluster of the twin: repos, charts, releases per cluster, Istio's CRDs.</summary>
public sealed class HelmTests : IAsyncLifetime
{
    private readonly LabWorldFactory _world = new();
    private ToolClient _tools = null!;
    private OriginalLabInstall _install = null!;

    public async ValueTask InitializeAsync()
    {
        _tools = _world.Tools();
        var spec = LabSpec.Load();
        _install = new OriginalLabInstall(_tools, spec with { Clusters = [spec.Clusters.Single(c => c.Name == "dev")] });
        await _install.UpToJoinAsync().WaitAsync(TimeSpan.FromMinutes(2));
        _tools.Environment["KUBECONFIG"] = _install.KubeconfigPath("dev");
    }

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Repo_add_is_idempotent_and_update_reports_each_repository()
    {
        Assert.Equal(new ToolResult("\"istio\" has been added to your repositories\n", "", 0), await _tools.Helm("repo", "add", "istio", "https://istio-release.storage.googleapis.com/charts"));
        Assert.Equal(new ToolResult("\"istio\" already exists with the same configuration, skipping\n", "", 0), await _tools.Helm("repo", "add", "istio", "https://istio-release.storage.googleapis.com/charts"));

        var update = await _tools.Helm("repo", "update");

        Assert.Equal("Hang tight while we grab the latest from your chart repositories...\n...Successfully got an update from the \"istio\" chart repository\nUpdate Complete. ⎈Happy Helming!⎈\n", update.Stdout);
    }

    [Fact]
    public async Task A_chart_from_a_repository_not_added_fails()
    {
        var result = await _tools.Helm("install", "cilium", "cilium/cilium", "-n", "kube-system");

        Assert.Equal(new ToolResult("", "Error: INSTALLATION FAILED: repo cilium not found\n", 1), result);
    }

    [Fact]
    public async Task An_unknown_chart_fails_as_helm_does()
    {
        await _tools.Helm("repo", "add", "cilium", "https://helm.cilium.io/");

        var result = await _tools.Helm("upgrade", "--install", "tetragon", "cilium/tetragon", "-n", "kube-system");

        Assert.Equal(1, result.ExitCode);
        Assert.Equal("Error: chart \"tetragon\" matching  not found in cilium index. (try 'helm repo update'): no chart name found\n", result.Stderr);
    }

    [Fact]
    public async Task A_timeout_that_is_no_go_duration_fails_with_gos_words()
    {
        await _tools.Helm("repo", "add", "istio", "https://istio-release.storage.googleapis.com/charts");

        var result = await _tools.Helm("install", "istio-base", "istio/base", "-n", "istio-system", "--timeout", "1d");

        Assert.Equal(new ToolResult("", "Error: invalid argument \"1d\" for \"--timeout\" flag: time: unknown unit \"d\" in duration \"1d\"\n", 1), result);
    }

    [Fact]
    public async Task Istio_base_registers_istios_crds_with_their_short_names()
    {
        await _tools.Helm("repo", "add", "istio", "https://istio-release.storage.googleapis.com/charts");
        var api = _world.Registry.Find("dev")!;
        Assert.Null(api.Get("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, "virtualservices.networking.istio.io"));

        var result = await _tools.Helm("install", "istio-base", "istio/base", "-n", "istio-system", "--create-namespace", "--set", "defaultRevision=default");

        Assert.Equal(0, result.ExitCode);
        Assert.StartsWith("NAME: istio-base\nLAST DEPLOYED: ", result.Stdout);
        Assert.Contains("NAMESPACE: istio-system\nSTATUS: deployed\nREVISION: 1\n", result.Stdout);
        foreach (var (name, shortName) in new[] { ("virtualservices.networking.istio.io", "vs"), ("destinationrules.networking.istio.io", "dr"), ("gateways.networking.istio.io", "gw"), ("peerauthentications.security.istio.io", "pa") })
        {
            var crd = api.Get("apiextensions.k8s.io/v1", "CustomResourceDefinition", null, name)!;
            Assert.Equal(shortName, crd["spec"]!["names"]!["shortNames"]![0]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Installing_into_a_missing_namespace_needs_create_namespace()
    {
        await _tools.Helm("repo", "add", "istio", "https://istio-release.storage.googleapis.com/charts");

        var result = await _tools.Helm("install", "istio-ingressgateway", "istio/gateway", "-n", "istio-ingress", "--set", "service.type=NodePort");

        Assert.Equal(new ToolResult("", "Error: INSTALLATION FAILED: create: failed to create: namespaces \"istio-ingress\" not found\n", 1), result);
    }

    [Fact]
    public async Task Istiod_and_the_gateway_render_their_workloads_and_uninstall_removes_them()
    {
        await _tools.Helm("repo", "add", "istio", "https://istio-release.storage.googleapis.com/charts");
        Assert.Equal(0, (await _tools.Helm("upgrade", "--install", "istiod", "istio/istiod", "-n", "istio-system", "--create-namespace", "--wait")).ExitCode);
        Assert.Equal(0, (await _tools.Helm("upgrade", "--install", "istio-ingressgateway", "istio/gateway", "-n", "istio-ingress", "--create-namespace", "--set", "service.type=NodePort", "--wait")).ExitCode);
        var api = _world.Registry.Find("dev")!;
        Assert.NotNull(api.Get("apps/v1", "Deployment", "istio-system", "istiod"));
        var gateway = api.Get("v1", "Service", "istio-ingress", "istio-ingressgateway")!;
        Assert.Equal("NodePort", gateway["spec"]!["type"]!.GetValue<string>());
        Assert.Equal("ingressgateway", gateway["spec"]!["selector"]!["istio"]!.GetValue<string>());

        Assert.Equal(new ToolResult("release \"istiod\" uninstalled\n", "", 0), await _tools.Helm("uninstall", "istiod", "-n", "istio-system"));

        Assert.Null(api.Get("apps/v1", "Deployment", "istio-system", "istiod"));
        var list = JsonNode.Parse((await _tools.Helm("list", "-A", "-o", "json")).Stdout)!.AsArray();
        Assert.Equal(["istio-ingressgateway"], list.Select(r => r!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Upgrade_without_install_of_a_missing_release_fails()
    {
        await _tools.Helm("repo", "add", "cilium", "https://helm.cilium.io/");

        var result = await _tools.Helm("upgrade", "cilium", "cilium/cilium", "-n", "kube-system", "--reuse-values");

        Assert.Equal(new ToolResult("", "Error: UPGRADE FAILED: \"cilium\" has no deployed releases\n", 1), result);
    }

    [Fact]
    public async Task Releases_belong_to_the_cluster_the_kubeconfig_names()
    {
        await _tools.Helm("repo", "add", "cilium", "https://helm.cilium.io/");
        var master = _install.Addresses["dev-master"];
        await _tools.Helm("upgrade", "--install", "cilium", "cilium/cilium", "-n", "kube-system", "--set", "kubeProxyReplacement=true", "--set", $"k8sServiceHost={master}", "--set", "k8sServicePort=6443", "--wait");

        // The same kubeconfig, written as the real admin.conf is (server https://<master>:6443), reaches the same cluster.
        var realStyle = Path.Combine(_install.KubeconfigDirectory, "dev-real.yaml");
        File.WriteAllText(realStyle, File.ReadAllText(_install.KubeconfigPath("dev")).Replace(_world.Registry.Find("dev")!.Server.ToString().TrimEnd('/'), $"https://{master}:6443"));
        var list = await _tools.Helm("list", "-n", "kube-system", "-o", "json", "--kubeconfig", realStyle);

        Assert.Equal(0, list.ExitCode);
        Assert.Equal("cilium", JsonNode.Parse(list.Stdout)![0]!["name"]!.GetValue<string>());
        Assert.Equal("[]\n", (await _tools.Helm("list", "-n", "default", "-o", "json")).Stdout);
    }

    [Fact]
    public async Task Without_a_kubeconfig_helm_cannot_reach_a_cluster()
    {
        _tools.Environment.Remove("KUBECONFIG");
        _tools.Environment["HOME"] = Path.Combine(Path.GetTempPath(), "labnet-no-home");

        var result = await _tools.Helm("list");

        Assert.Equal(new ToolResult("", "Error: Kubernetes cluster unreachable: Get \"http://localhost:8080/version\": dial tcp [::1]:8080: connect: connection refused\n", 1), result);
    }
}
