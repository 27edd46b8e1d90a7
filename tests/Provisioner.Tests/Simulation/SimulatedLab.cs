using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LabNet.Provisioner.Tests.Simulation;

/// <summary>
/// The Provisioner (its real composition) pointed at a simulator process through the shims, at the fastest modeled
/// clock: configuration is the only thing that differs from a real lab.
/// </summary>
public sealed class SimulatedLab : IAsyncDisposable
{
    private SimulatedLab(SimulatorProcess simulator, WebApplicationFactory<Program> provisioner, string kubeconfigs)
    {
        Simulator = simulator;
        Provisioner = provisioner;
        KubeconfigDirectory = kubeconfigs;
    }

    public SimulatorProcess Simulator { get; }

    public WebApplicationFactory<Program> Provisioner { get; }

    public string KubeconfigDirectory { get; }

    public static Task<SimulatedLab> StartAsync(string specPath, params (string Key, string Value)[] provisionerSettings) =>
        StartAsync(specPath, FastestClock, provisionerSettings);

    /// <summary>Modeled waits last 1 ms of wall time each: as fast as the machine goes.</summary>
    public const double FastestClock = 1_000_000;

    /// <param name="speedFactor">Modeled seconds per wall second of the simulator's clock.</param>
    public static Task<SimulatedLab> StartAsync(string specPath, double speedFactor, params (string Key, string Value)[] provisionerSettings) =>
        StartAsync(specPath, speedFactor, [], provisionerSettings);

    /// <param name="simulatorSettings">Extra command-line settings of the simulator, e.g. <c>--Simulator:Host:GuestPassword=x</c>.</param>
    public static async Task<SimulatedLab> StartAsync(string specPath, double speedFactor, string[] simulatorSettings, params (string Key, string Value)[] provisionerSettings)
    {
        var simulator = await SimulatorProcess.StartAsync(
            [$"--Simulator:Clock:SpeedFactor={speedFactor.ToString(System.Globalization.CultureInfo.InvariantCulture)}", "--Simulator:Seed=7", .. simulatorSettings]);
        var kubeconfigs = Directory.CreateTempSubdirectory("labnet-kubeconfig-").FullName;
        var shims = SimulatorProcess.ShimsDirectory;
        var settings = new Dictionary<string, string>
        {
            ["Tools:Tart"] = Path.Combine(shims, "tart"),
            ["Tools:Ssh"] = Path.Combine(shims, "ssh"),
            ["Tools:SshPass"] = Path.Combine(shims, "sshpass"),
            ["Tools:Helm"] = Path.Combine(shims, "helm"),
            ["Tools:Environment:LABNET_SIMULATOR_URL"] = simulator.Url.ToString().TrimEnd('/'),
            ["Lab:SpecPath"] = specPath,
            ["Lab:KubeconfigDirectory"] = kubeconfigs,
            ["Lab:ManifestsDirectory"] = RepositoryRoot.Combine("manifests"),
            ["Provisioning:Retry:InitialDelay"] = "00:00:00.050",
            ["Provisioning:Retry:MaxDelay"] = "00:00:00.200",
            // Every tool call is an information line: a failed run prints the whole process's output, so warnings only.
            ["Logging:LogLevel:Default"] = "Warning",
        };
        foreach (var (key, value) in provisionerSettings)
        {
            settings[key] = value;
        }

        var provisioner = new WebApplicationFactory<Program>().WithWebHostBuilder(host =>
        {
            foreach (var (key, value) in settings)
            {
                host.UseSetting(key, value);
            }
        });

        return new SimulatedLab(simulator, provisioner, kubeconfigs);
    }

    public static readonly TimeSpan ApplyTimeout = TimeSpan.FromMinutes(8);

    /// <summary>POST /api/lab/apply?wait=true: the operation's result as JSON.</summary>
    /// <param name="trace">The W3C trace the request belongs to (its <c>traceparent</c>), so the apply's spans can be told apart.</param>
    public async Task<JsonNode> ApplyAsync(ActivityTraceId? trace = null)
    {
        using var client = Provisioner.CreateClient();
        client.Timeout = ApplyTimeout;
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/lab/apply?wait=true");
        if (trace is { } traceId)
        {
            request.Headers.Add("traceparent", $"00-{traceId.ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-01");
        }

        using var response = await client.SendAsync(request).WaitAsync(ApplyTimeout);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>POST /api/lab/plan: what an apply would do and how long it is expected to take.</summary>
    public async Task<JsonNode> PlanAsync()
    {
        using var client = Provisioner.CreateClient();
        client.Timeout = ApplyTimeout;
        using var response = await client.PostAsync("/api/lab/plan", null).WaitAsync(ApplyTimeout);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }

    /// <summary>The end of the simulator's timeline of modeled tool time (GET /clock): later calls start no earlier.</summary>
    public async Task<DateTimeOffset> TimelineAsync()
    {
        using var http = new HttpClient { BaseAddress = Simulator.Url };
        var clock = JsonNode.Parse(await http.GetStringAsync("/clock").WaitAsync(TimeSpan.FromSeconds(30)))!;
        return clock["timeline"]!.GetValue<DateTimeOffset>();
    }

    /// <summary>GET /tools/steps/summary?since=: the modeled makespan and sequential sum of the calls since an instant.</summary>
    public async Task<ModeledStepSummary> StepSummaryAsync(DateTimeOffset since)
    {
        using var http = new HttpClient { BaseAddress = Simulator.Url };
        var query = Uri.EscapeDataString(since.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        return (await http.GetFromJsonAsync<ModeledStepSummary>($"/tools/steps/summary?since={query}").WaitAsync(TimeSpan.FromSeconds(30)))!;
    }

    /// <summary>Every tool call the simulator answered since an instant of its timeline, with its modeled start and end.</summary>
    public async Task<IReadOnlyList<ModeledToolCall>> ToolCallsAsync(DateTimeOffset since)
    {
        using var http = new HttpClient { BaseAddress = Simulator.Url };
        var query = Uri.EscapeDataString(since.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        return await http.GetFromJsonAsync<List<ModeledToolCall>>($"/tools/steps?since={query}").WaitAsync(TimeSpan.FromSeconds(30)) ?? [];
    }

    /// <summary>Every tool call the simulator answered so far, with its modeled start and duration.</summary>
    public async Task<IReadOnlyList<ModeledToolCall>> ToolCallsAsync()
    {
        using var http = new HttpClient { BaseAddress = Simulator.Url };
        return await http.GetFromJsonAsync<List<ModeledToolCall>>("/tools/steps").WaitAsync(TimeSpan.FromSeconds(30)) ?? [];
    }

    public async Task InjectFaultAsync(string kind, string vm, int count = 1)
    {
        using var http = new HttpClient { BaseAddress = Simulator.Url };
        (await http.PostAsJsonAsync("/faults", new { kind, vm, count })).EnsureSuccessStatusCode();
    }

    /// <summary>The faults still in force (<c>GET /faults</c>): what has not fired yet.</summary>
    public async Task<JsonArray> ActiveFaultsAsync()
    {
        using var http = new HttpClient { BaseAddress = Simulator.Url };
        return (await http.GetFromJsonAsync<JsonArray>("/faults").WaitAsync(TimeSpan.FromSeconds(30)))!;
    }

    public async Task ClearFaultsAsync()
    {
        using var http = new HttpClient { BaseAddress = Simulator.Url };
        (await http.DeleteAsync("/faults")).EnsureSuccessStatusCode();
    }

    /// <summary>A tart command as a person would type it, through the simulator's tools boundary; its stdout.</summary>
    public async Task<string> TartAsync(params string[] argv)
    {
        using var http = new HttpClient { BaseAddress = Simulator.Url };
        using var response = await http.PostAsJsonAsync("/tools/tart", new { argv, stdin = "", env = new { }, cwd = Path.GetTempPath() });
        return string.Concat((await response.Content.ReadAsStringAsync())
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => JsonNode.Parse(line)!["o"]?.GetValue<string>())).Trim();
    }

    /// <summary>A command in a VM as the lab's user (ssh with the password in SSHPASS), through the tools boundary; its stdout.</summary>
    public async Task<string> SshAsync(string address, string command)
    {
        using var http = new HttpClient { BaseAddress = Simulator.Url };
        string[] argv = ["-e", "ssh", "-o", "StrictHostKeyChecking=no", "-o", "LogLevel=ERROR", $"admin@{address}", command];
        using var response = await http.PostAsJsonAsync("/tools/sshpass", new { argv, stdin = "", env = new Dictionary<string, string> { ["SSHPASS"] = "admin" }, cwd = Path.GetTempPath() });
        var frames = (await response.Content.ReadAsStringAsync()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonNode.Parse(line)!).ToList();
        var exit = frames.Last()["x"]?.GetValue<int>();
        var stdout = string.Concat(frames.Select(f => f["o"]?.GetValue<string>())).Trim();
        return exit == 0 ? stdout : throw new InvalidOperationException($"ssh {address} {command} exited {exit}: {string.Concat(frames.Select(f => f["e"]?.GetValue<string>()))}");
    }

    /// <summary>The real kubectl with the kubeconfig the Provisioner wrote for <paramref name="cluster"/>: its exit code, stdout and stderr.</summary>
    public async Task<(int ExitCode, string Output)> KubectlAsync(string cluster, params string[] arguments)
    {
        var result = await new Kubectl(Path.Combine(KubeconfigDirectory, $"{cluster}.yaml")).RunAsync(["--request-timeout=5s", .. arguments]);
        return (result.ExitCode, result.Stdout.Trim() + result.Stderr);
    }

    public async ValueTask DisposeAsync()
    {
        await Provisioner.DisposeAsync();
        await Simulator.DisposeAsync();
        Directory.Delete(KubeconfigDirectory, recursive: true);
    }

    /// <summary>The original lab's spec with only some of its clusters (<see cref="LabSpecFiles.With"/>).</summary>
    public static string SpecWith(params string[] clusters) => LabSpecFiles.With(clusters);
}
