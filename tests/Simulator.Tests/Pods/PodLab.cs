using System.Collections.Concurrent;
using System.Net;
using System.Text.Json.Nodes;
using LabNet.Simulator.Kubernetes;
using LabNet.Simulator.Mesh;
using LabNet.Simulator.Tests.Kubernetes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace LabNet.Simulator.Tests.Pods;

/// <summary>
/// The real simulator on a real socket, with test doubles for the data plane (another component builds it): the
/// HTTP answers and DNS records each test sets. The real kubectl talks to it.
/// </summary>
public sealed class PodLab : IAsyncLifetime
{
    private readonly WebApplicationFactory<Program> _factory;
    private int _clusters;

    public PodLab()
    {
        _factory = new WebApplicationFactory<Program>().WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            services.AddSingleton<IPodHttpClient>(Http);
            services.AddSingleton<IClusterDns>(Dns);
        }));
    }

    public ScriptedHttp Http { get; } = new();

    public ScriptedDns Dns { get; } = new();

    public IClusterApiRegistry Registry => _factory.Services.GetRequiredService<IClusterApiRegistry>();

    public ValueTask InitializeAsync()
    {
        _factory.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        _factory.StartServer();
        _ = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return ValueTask.CompletedTask;
    }

    /// <summary>A cluster with a Ready control plane and two Ready workers, a CNI, and the kube-dns Service.</summary>
    public TestCluster CreateCluster(string? name = null, string version = "v1.31.14")
    {
        name ??= $"p{Interlocked.Increment(ref _clusters)}";
        var api = Registry.Create(new ClusterBootstrap(name, "10.20.0.0/16", "10.96.0.0/12", version, $"{name}-master", "192.168.65.10"));
        api.Apply(SimulatorServer.NodeObject($"{name}-master", "192.168.65.10", true, true, "10.20.0.0/24"));
        api.Apply(SimulatorServer.NodeObject($"{name}-worker1", "192.168.65.11", false, true, "10.20.1.0/24"));
        api.Apply(SimulatorServer.NodeObject($"{name}-worker2", "192.168.65.12", false, true, "10.20.2.0/24"));
        api.PodNetwork = new SequentialPodNetwork();
        api.Apply(SimulatorServer.KubeDnsService("10.96.0.10"));
        return new TestCluster(api);
    }

    public async ValueTask DisposeAsync() => await _factory.DisposeAsync();
}

/// <summary>Answers each URL with what the test scripted; an unscripted URL does not resolve. Records every request.</summary>
public sealed class ScriptedHttp : IPodHttpClient
{
    private readonly ConcurrentDictionary<string, PodHttpResult> _answers = new(StringComparer.Ordinal);

    public ConcurrentQueue<PodHttpRequest> Requests { get; } = new();

    private readonly ConcurrentDictionary<string, (PodHttpResult[] Results, int[] Next)> _rotations = new(StringComparer.Ordinal);

    public void Answer(string url, PodHttpResult result) => _answers[url] = result;

    /// <summary>Answers the URL with each result in turn, round and round.</summary>
    public void AnswerInTurn(string url, params PodHttpResult[] results) => _rotations[url] = (results, [0]);

    public static PodHttpResult Ok(string body, int status = 200, string reason = "OK") => new(
        PodHttpOutcome.Response, status, reason,
        [new("server", "envoy"), new("content-type", "application/json"), new("content-length", System.Text.Encoding.UTF8.GetByteCount(body).ToString(System.Globalization.CultureInfo.InvariantCulture))],
        body, TimeSpan.FromMilliseconds(12), "10.96.20.30", "httpbin-v1-abc12");

    public static PodHttpResult Failed(PodHttpOutcome outcome, TimeSpan elapsed, string? remote = "10.96.20.30") =>
        new(outcome, 0, "", [], "", elapsed, remote, null);

    public PodHttpResult Send(PodHttpRequest request)
    {
        Requests.Enqueue(request);
        if (_rotations.TryGetValue(request.Url, out var rotation))
        {
            return rotation.Results[(Interlocked.Increment(ref rotation.Next[0]) - 1) % rotation.Results.Length];
        }

        return _answers.TryGetValue(request.Url, out var answer)
            ? answer
            : Failed(PodHttpOutcome.CouldNotResolveHost, TimeSpan.FromMilliseconds(3), remote: null);
    }
}

/// <summary>kube-dns with the records a test sets.</summary>
public sealed class ScriptedDns : IClusterDns
{
    private readonly ConcurrentDictionary<string, (string Fqdn, IPAddress Address)> _records = new(StringComparer.Ordinal);

    public void Add(string name, string fqdn, string address) => _records[name] = (fqdn, IPAddress.Parse(address));

    public DnsAnswer Resolve(string cluster, string clientNamespace, string name) =>
        _records.TryGetValue(name, out var record)
            ? new DnsAnswer(name, record.Fqdn, [record.Address], IPAddress.Parse("10.96.0.10"))
            : new DnsAnswer(name, null, [], IPAddress.Parse("10.96.0.10"));
}

[CollectionDefinition(Name)]
public sealed class PodLabCollection : ICollectionFixture<PodLab>
{
    public const string Name = "Simulator with scripted data plane";
}
