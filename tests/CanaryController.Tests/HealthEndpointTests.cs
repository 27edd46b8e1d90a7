namespace LabNet.CanaryController.Tests;

public sealed class HealthEndpointTests(IsolatedServiceFactory factory) : IClassFixture<IsolatedServiceFactory>
{
    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task Answers_its_health_probes(string path)
    {
        using var client = factory.CreateClient();

        using var response = await client.GetAsync(path).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
