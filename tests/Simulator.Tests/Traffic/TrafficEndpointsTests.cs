using System.Net;
using System.Net.Http.Json;
using LabNet.Simulator.Traffic;
using Microsoft.AspNetCore.Mvc.Testing;
using LabNet.Simulator.Workloads;

namespace LabNet.Simulator.Tests.Traffic;

public sealed class TrafficEndpointsTests(WebApplicationFactory<Program> factory) : IClassFixture<WebApplicationFactory<Program>>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Put_replaces_the_settings_and_get_returns_them()
    {
        using var client = factory.CreateClient();
        var settings = new TrafficSettings
        {
            Rates = new Dictionary<string, double> { [TrafficScenarios.NginxToHttpbin] = 50 },
            CanaryHeaderShare = 0.5,
            Versions = new Dictionary<string, VersionBehaviour> { ["v2"] = new(0.3, 12, 90) },
        };

        using var put = await client.PutAsJsonAsync("/traffic", settings).WaitAsync(Timeout);
        var current = await client.GetFromJsonAsync<TrafficSettings>("/traffic").WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal(50, current!.Rates[TrafficScenarios.NginxToHttpbin]);
        Assert.Equal(0.5, current.CanaryHeaderShare);
        Assert.Equal(new VersionBehaviour(0.3, 12, 90), current.Versions["v2"]);
    }

    [Fact]
    public async Task Put_with_an_invalid_rate_is_a_400_naming_the_field()
    {
        using var client = factory.CreateClient();

        using var put = await client.PutAsJsonAsync("/traffic", new TrafficSettings { CanaryHeaderShare = 2 }).WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.Contains("canaryHeaderShare", await put.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
