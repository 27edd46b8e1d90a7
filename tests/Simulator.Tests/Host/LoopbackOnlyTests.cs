using LabNet.Simulator.Host;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;

namespace LabNet.Simulator.Tests.Host;

/// <summary>Acceptance line 5: the simulator binds loopback only and refuses to start otherwise.</summary>
public sealed class LoopbackOnlyTests
{
    [Theory]
    [InlineData("http://127.0.0.1:5200")]
    [InlineData("http://localhost:5200")]
    [InlineData("https://[::1]:5201")]
    [InlineData("http://127.0.0.1:0")]
    public void Loopback_urls_are_allowed(string url) => Assert.True(LoopbackOnly.IsLoopbackUrl(url));

    [Theory]
    [InlineData("http://0.0.0.0:5200")]
    [InlineData("http://*:5200")]
    [InlineData("http://+:5200")]
    [InlineData("http://[::]:5200")]
    [InlineData("http://192.168.1.20:5200")]
    [InlineData("http://example.com:80")]
    public void Other_urls_are_refused(string url) => Assert.False(LoopbackOnly.IsLoopbackUrl(url));

    [Fact]
    public void Every_offending_setting_is_named()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["urls"] = "http://127.0.0.1:5200;http://0.0.0.0:5300",
            ["Kestrel:Endpoints:Public:Url"] = "http://*:8080",
            ["Kestrel:Endpoints:Local:Url"] = "http://localhost:8081",
        }).Build();

        var problems = LoopbackOnly.Violations(configuration);

        Assert.Equal(["'urls' contains 'http://0.0.0.0:5300'", "'Kestrel:Endpoints:Public:Url' is 'http://*:8080'"], problems);
    }

    [Fact]
    public void The_simulator_refuses_to_start_on_a_non_loopback_url()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b => b.UseSetting("urls", "http://0.0.0.0:5200"));

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        var message = error is InvalidOperationException ? error.Message : error.InnerException?.Message ?? error.Message;
        Assert.Contains("The LabNet simulator only listens on 127.0.0.1 (or localhost) and refuses to start: 'urls' contains 'http://0.0.0.0:5200'", message);
    }
}
