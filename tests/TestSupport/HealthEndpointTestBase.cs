using System.Net;

namespace LabNet.TestSupport;

/// <summary>
/// The probes every LabNet service answers (ServiceDefaults): <c>/health</c> (readiness) and <c>/alive</c> (liveness).
/// A service's test project derives one class from this with a client of the service.
/// </summary>
public abstract class HealthEndpointTestBase
{
    protected abstract HttpClient CreateClient();

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    public async Task Answers_its_health_probes(string path)
    {
        using var client = CreateClient();

        using var response = await client.GetAsync(path).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }
}
