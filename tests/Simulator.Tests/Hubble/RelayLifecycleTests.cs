using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Grpc.Core;
using Grpc.Net.Client;
using LabNet.Hubble.ObserverApi;
using LabNet.Simulator.Hubble;
using LabNet.Simulator.Tests.Kubernetes;
using LabNet.Simulator.Tests.LabWorld;

namespace LabNet.Simulator.Tests.Hubble;

/// <summary>
/// A cluster's hubble-relay follows the twin's own state: it runs while the cluster's Cilium release enables it, on the
/// port the simulator's configuration reserves for the cluster.
/// </summary>
public sealed class RelayLifecycleTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(2);
    private readonly LabWorldFactory _world = new();
    private readonly int _port = FreePort();
    private ToolClient _tools = null!;
    private OriginalLabInstall _install = null!;
    private ClusterSpec _dev = null!;

    public async ValueTask InitializeAsync()
    {
        _world.Settings["Simulator:Hubble:RelayPorts:dev"] = _port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _tools = _world.Tools();
        var spec = LabSpec.Load();
        _dev = spec.Clusters.Single(c => c.Name == "dev");
        _install = new OriginalLabInstall(_tools, spec with { Clusters = [_dev] });
        await _install.UpToJoinAsync().WaitAsync(Patience);
    }

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task The_relay_runs_while_the_cilium_release_enables_it_on_the_port_reserved_for_the_cluster()
    {
        var address = $"http://127.0.0.1:{_port}";
        Assert.Empty(await RelaysAsync());
        await Assert.ThrowsAsync<RpcException>(() => ServerStatusAsync(address));

        await _install.InstallCiliumAsync(_dev).WaitAsync(Patience);
        var running = await Eventually.WaitForAsync(RelaysAsync, r => r.Any(x => x.Running));
        Assert.Equal([new HubbleEndpoints.RelayInfo("dev", address, true)], running);
        Assert.Equal(2u, (await ServerStatusAsync(address)).NumConnectedNodes);

        Assert.Equal(0, (await Helm("upgrade", "cilium", "cilium/cilium", "--reuse-values", "--set", "hubble.relay.enabled=false")).ExitCode);
        Assert.Empty(await Eventually.WaitForAsync(RelaysAsync, r => r.Count == 0));
        var refused = await Assert.ThrowsAsync<RpcException>(() => ServerStatusAsync(address));
        Assert.Equal(StatusCode.Unavailable, refused.StatusCode);

        Assert.Equal(0, (await Helm("upgrade", "cilium", "cilium/cilium", "--reuse-values", "--set", "hubble.relay.enabled=true")).ExitCode);
        Assert.Equal([new HubbleEndpoints.RelayInfo("dev", address, true)], await Eventually.WaitForAsync(RelaysAsync, r => r.Any(x => x.Running)));

        Assert.Equal(0, (await Helm("uninstall", "cilium")).ExitCode);
        Assert.Empty(await Eventually.WaitForAsync(RelaysAsync, r => r.Count == 0));
    }

    private Task<ToolResult> Helm(params string[] args) =>
        _tools.Helm([.. args, "--kubeconfig", _install.KubeconfigPath("dev"), "--namespace", "kube-system"]).WaitAsync(Patience);

    private async Task<IReadOnlyList<HubbleEndpoints.RelayInfo>> RelaysAsync()
    {
        using var http = _world.CreateClient();
        return (await http.GetFromJsonAsync<HubbleEndpoints.RelayInfo[]>("/hubble/relays").WaitAsync(Patience))!;
    }

    private static async Task<ServerStatusResponse> ServerStatusAsync(string address)
    {
        using var channel = GrpcChannel.ForAddress(address);
        return await new Observer.ObserverClient(channel).ServerStatusAsync(new ServerStatusRequest(), deadline: DateTime.UtcNow.AddSeconds(10)).ResponseAsync;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
