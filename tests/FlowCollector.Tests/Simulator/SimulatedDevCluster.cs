using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LabNet.Simulator.Tests.LabWorld;

namespace LabNet.FlowCollector.Tests.Simulator;

/// <summary>
/// The simulator as its own process with the lab's dev cluster up (kubeadm, Cilium with Hubble, Istio from its Helm
/// charts, then the demo, its network policies and its Istio objects applied with the real kubectl), so its
/// hubble-relay serves the demo traffic's flows as the sidecars route them.
/// </summary>
public sealed class SimulatedDevCluster : IAsyncLifetime
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private SimulatorProcess? _simulator;
    private OriginalLabInstall? _install;

    /// <summary>Talks to the simulator's HTTP API; never times out on its own, so <c>tart run</c> calls stay open.</summary>
    public HttpClient Http { get; } = new() { Timeout = Timeout.InfiniteTimeSpan };

    public SimulatorProcess Simulator => _simulator ?? throw new InvalidOperationException("The simulator did not start.");

    /// <summary>Where the install wrote <c>dev.yaml</c>, as the Provisioner writes it.</summary>
    public string KubeconfigDirectory => _install?.KubeconfigDirectory ?? throw new InvalidOperationException("The lab is not installed.");

    /// <summary>The dev relay's address, as <c>GET /hubble/relays</c> reports it.</summary>
    public Uri RelayAddress { get; private set; } = null!;

    public async ValueTask InitializeAsync()
    {
        _simulator = await SimulatorProcess.StartAsync("--Simulator:Clock:SpeedFactor=1000000", "--Simulator:Seed=11");
        Http.BaseAddress = _simulator.Url;

        var spec = LabSpec.Load();
        _install = new OriginalLabInstall(new ToolClient(Http), spec with { Clusters = [spec.Clusters.Single(c => c.Name == "dev")] });
        await _install.UpToJoinAsync().WaitAsync(Patience);
        await _install.InstallCiliumAsync(spec.Clusters.Single(c => c.Name == "dev")).WaitAsync(Patience);
        await InstallIstioAsync();
        await KubectlAsync(
            "apply",
            "-f", RepositoryRoot.Combine("manifests", "demo"),
            "-f", RepositoryRoot.Combine("manifests", "network-policies"),
            "-f", RepositoryRoot.Combine("manifests", "istio"));

        RelayAddress = await DevRelayAsync().WaitAsync(Patience);
    }

    /// <summary>The dev relay's address once it runs: the simulator starts it after Cilium's release enables it.</summary>
    private async Task<Uri> DevRelayAsync()
    {
        while (true)
        {
            var relays = (await Http.GetFromJsonAsync<JsonArray>("/hubble/relays"))!;
            if (relays.SingleOrDefault(r => r!["cluster"]!.GetValue<string>() == "dev" && r["running"]!.GetValue<bool>()) is { } dev)
            {
                return new Uri(dev["address"]!.GetValue<string>());
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Replaces the traffic generator's rates (requests/s per scenario); scenarios not set keep their rate.</summary>
    public async Task SetTrafficAsync(Action<JsonObject> changeRates)
    {
        var settings = (await Http.GetFromJsonAsync<JsonObject>("/traffic").WaitAsync(Patience))!;
        changeRates(settings["rates"]!.AsObject());
        using var response = await Http.PutAsJsonAsync("/traffic", settings).WaitAsync(Patience);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The share of nginx-web's requests to httpbin that carry <c>x-canary: true</c> (the header route to v2).</summary>
    public async Task SetCanaryHeaderShareAsync(double share)
    {
        var settings = (await Http.GetFromJsonAsync<JsonObject>("/traffic").WaitAsync(Patience))!;
        settings["canaryHeaderShare"] = share;
        using var response = await Http.PutAsJsonAsync("/traffic", settings).WaitAsync(Patience);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Every scenario at the given rate.</summary>
    public Task SetAllTrafficAsync(double rate) => SetTrafficAsync(rates =>
    {
        foreach (var scenario in rates.Select(r => r.Key).ToList())
        {
            rates[scenario] = rate;
        }
    });

    /// <summary>Every flow the dev cluster's agents hold (<c>GET /hubble/flows</c>), oldest first.</summary>
    public async Task<IReadOnlyList<JsonNode>> RelayFlowsAsync()
    {
        var text = await Http.GetStringAsync("/hubble/flows?cluster=dev&last=1000000").WaitAsync(Patience);
        return [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!)];
    }

    public async Task PostAsync(string path)
    {
        using var response = await Http.PostAsync(path, null).WaitAsync(Patience);
        Assert.True(response.IsSuccessStatusCode, $"POST {path}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }

    // As the original lab does (and the Provisioner): base, then istiod, from Istio's Helm repository.
    private async Task InstallIstioAsync()
    {
        var tools = new ToolClient(Http);
        var kubeconfig = _install!.KubeconfigPath("dev");
        await Expect(tools.Helm("repo", "add", "istio", "https://istio-release.storage.googleapis.com/charts"));
        await Expect(tools.Helm("upgrade", "--install", "istio-base", "istio/base", "--kubeconfig", kubeconfig, "--namespace", "istio-system", "--create-namespace", "--set", "defaultRevision=default", "--wait"));
        await Expect(tools.Helm("upgrade", "--install", "istiod", "istio/istiod", "--kubeconfig", kubeconfig, "--namespace", "istio-system", "--wait"));

        static async Task Expect(Task<ToolResult> run)
        {
            var result = await run.WaitAsync(Patience);
            Assert.True(result.ExitCode == 0, result.ToString());
        }
    }

    private async Task KubectlAsync(params string[] arguments)
    {
        var result = await new Kubectl(_install!.KubeconfigPath("dev")) { Timeout = Patience }.RunAsync(["--request-timeout=10s", .. arguments]);
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', arguments)}: {result}");
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (_simulator is not null)
        {
            await _simulator.DisposeAsync();
        }

        if (_install is not null)
        {
            Directory.Delete(_install.KubeconfigDirectory, recursive: true);
        }
    }
}
