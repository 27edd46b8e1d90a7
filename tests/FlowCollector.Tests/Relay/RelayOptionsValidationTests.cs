using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;

namespace LabNet.FlowCollector.Tests.Relay;

public sealed class RelayOptionsValidationTests
{
    [Fact]
    public void Valid_relay_addresses_pass()
    {
        var options = new FlowCollectorOptions { Relays = { ["dev"] = "http://127.0.0.1:4245", ["prod-2"] = "https://relay.example:443" } };

        Assert.True(new FlowCollectorOptionsValidator().Validate(null, options).Succeeded);
    }

    [Theory]
    [InlineData("dev", "127.0.0.1:4245", "FlowCollector:Relays:dev: '127.0.0.1:4245' is not a relay address; use http://HOST:PORT")]
    [InlineData("dev", "grpc://127.0.0.1:4245", "FlowCollector:Relays:dev: 'grpc://127.0.0.1:4245' is not a relay address")]
    [InlineData("dev", "http://127.0.0.1:4245/observer", "FlowCollector:Relays:dev: 'http://127.0.0.1:4245/observer' is not a relay address")]
    [InlineData("Dev_1", "http://127.0.0.1:4245", "FlowCollector:Relays:Dev_1: 'Dev_1' is not a cluster name")]
    public void Invalid_relay_settings_are_named_with_their_key_and_fix(string cluster, string address, string expected)
    {
        var options = new FlowCollectorOptions { Relays = { [cluster] = address } };

        var result = new FlowCollectorOptionsValidator().Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void The_app_refuses_to_start_with_an_invalid_relay_address()
    {
        using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(web =>
            web.UseSetting("FlowCollector:Relays:dev", "not a url"));

        var error = Assert.ThrowsAny<Exception>(() => factory.CreateClient());

        Assert.Contains("FlowCollector:Relays:dev", error.ToString(), StringComparison.Ordinal);
    }
}
