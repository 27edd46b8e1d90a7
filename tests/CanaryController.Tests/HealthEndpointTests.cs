namespace LabNet.CanaryController.Tests;

public sealed class HealthEndpointTests(IsolatedServiceFactory factory) : HealthEndpointTestBase, IClassFixture<IsolatedServiceFactory>
{
    protected override HttpClient CreateClient() => factory.CreateClient();
}
