using Microsoft.Extensions.Configuration;

namespace LabNet.AppHost.Tests;

public sealed class RelayPortsSettingTests
{
    [Theory]
    [InlineData(null, RelayPorts.Fixed)]
    [InlineData("fixed", RelayPorts.Fixed)]
    [InlineData(" Free ", RelayPorts.Free)]
    public void Reads_fixed_or_free_and_fixed_is_the_default(string? value, RelayPorts expected)
    {
        Assert.True(RelayPortsSetting.TryRead(Configuration(value), out var ports, out _));
        Assert.Equal(expected, ports);
    }

    [Fact]
    public void A_port_number_is_refused_with_the_allowed_values()
    {
        Assert.False(RelayPortsSetting.TryRead(Configuration("14245"), out _, out var error));

        Assert.Contains("'LabNet:Simulation:RelayPorts' is '14245'", error);
        Assert.Contains("Allowed values: Fixed, Free", error);
    }

    private static IConfiguration Configuration(string? value) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [RelayPortsSetting.Key] = value })
            .Build();
}
