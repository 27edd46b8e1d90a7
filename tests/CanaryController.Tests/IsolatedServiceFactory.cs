using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace LabNet.CanaryController.Tests;

/// <summary>
/// The CanaryController service with a kubeconfig path that does not exist, so a test never reaches a cluster that a
/// Provisioner run left on this machine (the default path is the Provisioner's kubeconfig/dev.yaml).
/// </summary>
public sealed class IsolatedServiceFactory : WebApplicationFactory<Program>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.ConfigureAppConfiguration((_, configuration) => configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["CanaryController:Kubeconfig"] = Path.Combine(Path.GetTempPath(), $"labnet-no-kubeconfig-{Guid.NewGuid():N}", "dev.yaml"),
            ["CanaryController:FlowCollector"] = "http://127.0.0.1:9",
        }));
}
