using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using BenchmarkDotNet.Attributes;
using LabNet.Simulator.Kubernetes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace LabNet.Benchmarks;

/// <summary>
/// The simulated Kubernetes API over real loopback HTTP (issue 3, acceptance 6): simple GETs per second (target
/// >= 5,000/s) and one change fanned out to 50 concurrent watch streams. Per-operation times: GETs/s = 1 s / Mean.
/// </summary>
[MemoryDiagnoser]
public class KubernetesApiBenchmarks
{
    private const int Requests = 1_000;
    private const int Concurrency = 8;
    private const int Watchers = 50;
    private const int Changes = 100;

    private WebApplication _app = null!;
    private HttpClient _http = null!;
    private IClusterApi _cluster = null!;
    private Uri _configMap = null!;
    private readonly List<(HttpResponseMessage Response, Task Reader)> _watches = [];
    private readonly CancellationTokenSource _stop = new();
    private long _delivered;
    private long _target = long.MaxValue;
    private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _generation;

    [GlobalSetup]
    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddKubernetesApi();
        _app = builder.Build();
        _app.MapKubernetesApi();
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();

        _cluster = _app.Services.GetRequiredService<IClusterApiRegistry>()
            .Create(new ClusterBootstrap("bench", "10.20.0.0/16", "10.96.0.0/12", "v1.31.14", "bench-master", "192.168.65.10"));
        _cluster.Apply(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ConfigMap",
            ["metadata"] = new JsonObject { ["name"] = "settings", ["namespace"] = "default" },
            ["data"] = new JsonObject { ["generation"] = "0" },
        });
        _http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = Concurrency + Watchers + 4 }) { Timeout = TimeSpan.FromMinutes(5) };
        _configMap = new Uri($"{address}/clusters/bench/api/v1/namespaces/default/configmaps/settings");

        var watchUri = new Uri($"{address}/clusters/bench/api/v1/namespaces/default/configmaps?watch=true&fieldSelector=metadata.name%3Dsettings&resourceVersion={RvOf(_cluster)}");
        for (var i = 0; i < Watchers; i++)
        {
            var response = await _http.GetAsync(watchUri, HttpCompletionOption.ResponseHeadersRead);
            response.EnsureSuccessStatusCode();
            var stream = await response.Content.ReadAsStreamAsync();
            _watches.Add((response, Task.Run(async () =>
            {
                using var reader = new StreamReader(stream, Encoding.UTF8);
                while (await reader.ReadLineAsync(_stop.Token) is { } line)
                {
                    if (line.Length > 0 && Interlocked.Increment(ref _delivered) >= Interlocked.Read(ref _target))
                    {
                        _reached.TrySetResult();
                    }
                }
            })));
        }
    }

    private static string RvOf(IClusterApi cluster) =>
        cluster.Get("v1", "ConfigMap", "default", "settings")!["metadata"]!["resourceVersion"]!.GetValue<string>();

    /// <summary>1,000 GETs of one ConfigMap from 8 concurrent clients; Mean is the time per GET.</summary>
    [Benchmark(OperationsPerInvoke = Requests)]
    public async Task Get_configmap_over_loopback()
    {
        await Task.WhenAll(Enumerable.Range(0, Concurrency).Select(async _ =>
        {
            for (var i = 0; i < Requests / Concurrency; i++)
            {
                using var response = await _http.GetAsync(_configMap);
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    throw new InvalidOperationException($"GET answered {response.StatusCode}");
                }

                await response.Content.CopyToAsync(Stream.Null);
            }
        }));
    }

    /// <summary>100 changes, each delivered to all 50 watch streams; Mean is the time per change until every watcher has it.</summary>
    [Benchmark(OperationsPerInvoke = Changes)]
    public async Task Change_fanned_out_to_50_watchers()
    {
        _reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var target = Interlocked.Read(ref _delivered) + (long)Changes * Watchers;
        Interlocked.Exchange(ref _target, target);
        for (var i = 0; i < Changes; i++)
        {
            var update = _cluster.Get("v1", "ConfigMap", "default", "settings")!;
            update["data"]!["generation"] = (++_generation).ToString(System.Globalization.CultureInfo.InvariantCulture);
            _cluster.Apply(update);
        }

        if (Interlocked.Read(ref _delivered) < target)
        {
            try
            {
                await _reached.Task.WaitAsync(TimeSpan.FromSeconds(30));
            }
            catch (TimeoutException)
            {
                throw new TimeoutException($"only {Interlocked.Read(ref _delivered)} of {target} watch events arrived");
            }
        }
    }

    [GlobalCleanup]
    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        foreach (var (response, _) in _watches)
        {
            response.Dispose();
        }

        _http.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
