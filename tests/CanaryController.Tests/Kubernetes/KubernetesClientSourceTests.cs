using LabNet.CanaryController.Kubernetes;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace LabNet.CanaryController.Tests.Kubernetes;

public sealed class KubernetesClientSourceTests
{
    [Fact]
    public async Task Waits_for_a_missing_kubeconfig_says_so_and_connects_when_it_appears()
    {
        var directory = Directory.CreateTempSubdirectory("labnet-canary-").FullName;
        var logger = new FakeLogger<KubernetesClientSource>();
        using var source = new KubernetesClientSource(
            Options.Create(new CanaryControllerOptions { Kubeconfig = "dev.yaml", KubeconfigPollInterval = TimeSpan.FromMilliseconds(50) }),
            new HostingEnvironment { ContentRootPath = directory },
            TimeProvider.System,
            logger);

        var connecting = source.ConnectAsync(CancellationToken.None);
        await Eventually.ValueAsync(() => logger.Collector.GetSnapshot().Count, count => count > 0, "the waiting log line");

        Assert.False(connecting.IsCompleted);
        Assert.Null(source.Current);
        Assert.Contains("Waiting for kubeconfig", logger.Collector.LatestRecord.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(directory, "dev.yaml"), logger.Collector.LatestRecord.Message, StringComparison.Ordinal);

        await File.WriteAllTextAsync(Path.Combine(directory, "dev.yaml"), CanaryTestBed.Kubeconfig(new Uri("http://127.0.0.1:9/clusters/dev")));
        var client = await connecting.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Same(client, source.Current);
        Assert.Equal(1, logger.Collector.GetSnapshot().Count(r => r.Message.Contains("Waiting for kubeconfig", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_rewritten_kubeconfig_gives_a_new_client_for_the_server_it_names()
    {
        var directory = Directory.CreateTempSubdirectory("labnet-canary-").FullName;
        var path = Path.Combine(directory, "dev.yaml");
        await File.WriteAllTextAsync(path, CanaryTestBed.Kubeconfig(new Uri("http://127.0.0.1:9/clusters/dev")));
        var logger = new FakeLogger<KubernetesClientSource>();
        using var source = new KubernetesClientSource(
            Options.Create(new CanaryControllerOptions { Kubeconfig = "dev.yaml", KubeconfigPollInterval = TimeSpan.FromMilliseconds(50) }),
            new HostingEnvironment { ContentRootPath = directory },
            TimeProvider.System,
            logger);
        var first = await source.ConnectAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        var changing = source.WaitForChangeAsync(first, CancellationToken.None);

        // Written as the Provisioner does: a new file renamed over the old one.
        await File.WriteAllTextAsync(path + ".tmp", CanaryTestBed.Kubeconfig(new Uri("http://127.0.0.1:10/clusters/dev")));
        File.Move(path + ".tmp", path, overwrite: true);
        var second = await changing.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.NotSame(first, second);
        Assert.Same(second, source.Current);
        Assert.Equal(10, ((k8s.Kubernetes)second).BaseUri.Port);
        Assert.Contains(logger.Collector.GetSnapshot(), r => r.Message.Contains("was rewritten: now API server http://127.0.0.1:10/clusters/dev", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("", "CanaryController:Kubeconfig is empty")]
    [InlineData("/tmp", "is not a file path")]
    public void Options_name_the_key_and_the_fix(string kubeconfig, string message)
    {
        var result = new CanaryControllerOptionsValidator().Validate(null, new CanaryControllerOptions { Kubeconfig = kubeconfig });

        Assert.True(result.Failed);
        Assert.Contains(message, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Flowcollector_address_must_be_absolute_http()
    {
        var result = new CanaryControllerOptionsValidator().Validate(null, new CanaryControllerOptions { Kubeconfig = "dev.yaml", FlowCollector = new Uri("ftp://flowcollector") });

        Assert.True(result.Failed);
        Assert.Contains("CanaryController:FlowCollector", result.FailureMessage, StringComparison.Ordinal);
    }
}
