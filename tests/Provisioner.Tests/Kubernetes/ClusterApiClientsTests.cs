using LabNet.Provisioner.Kubernetes;
using Microsoft.Extensions.Options;

namespace LabNet.Provisioner.Tests.Kubernetes;

public sealed class ClusterApiClientsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("labnet-clients-").FullName;

    [Fact]
    public async Task Every_call_for_a_cluster_gets_the_same_client_until_its_kubeconfig_is_rewritten()
    {
        var store = new KubeconfigStore(Options.Create(new LabOptions { KubeconfigDirectory = _directory }));
        using var clients = new ClusterApiClients(store, TimeProvider.System);
        await store.WriteAsync("dev", Kubeconfig("https://192.168.65.3:6443"), CancellationToken.None);

        var first = clients.For("dev");
        Assert.Same(first, clients.For("dev"));

        // A repair moved the API server: the next call talks to the new address.
        await store.WriteAsync("dev", Kubeconfig("https://192.168.65.9:6443"), CancellationToken.None);
        var repaired = clients.For("dev");

        Assert.NotSame(first, repaired);
        Assert.Equal(new Uri("https://192.168.65.9:6443/"), repaired.BaseUri);
        Assert.Same(repaired, clients.For("dev"));
    }

    private static string Kubeconfig(string server) => $"""
        apiVersion: v1
        kind: Config
        clusters:
        - cluster:
            server: {server}
            insecure-skip-tls-verify: true
          name: dev
        contexts:
        - context:
            cluster: dev
            user: admin
          name: admin@dev
        current-context: admin@dev
        users:
        - name: admin
          user:
            token: secret
        """;

    public void Dispose() => Directory.Delete(_directory, recursive: true);
}
