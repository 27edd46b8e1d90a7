using Microsoft.AspNetCore.Mvc.Testing;

namespace LabNet.Provisioner.Tests;

public sealed class HealthEndpointTests(WebApplicationFactory<Program> factory) : HealthEndpointTestBase, IClassFixture<WebApplicationFactory<Program>>
{
    protected override HttpClient CreateClient() => factory.CreateClient();
}
