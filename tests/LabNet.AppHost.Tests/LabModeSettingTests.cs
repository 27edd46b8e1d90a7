using Microsoft.Extensions.Configuration;

namespace LabNet.AppHost.Tests;

public sealed class LabModeSettingTests
{
    [Theory]
    [InlineData(null, LabMode.Simulation)]
    [InlineData("", LabMode.Simulation)]
    [InlineData("Simulation", LabMode.Simulation)]
    [InlineData("simulation", LabMode.Simulation)]
    [InlineData("Real", LabMode.Real)]
    [InlineData(" real ", LabMode.Real)]
    public void Reads_the_modes_by_name(string? value, LabMode expected)
    {
        var configuration = Configuration(value);

        Assert.True(LabModeSetting.TryRead(configuration, out var mode, out _));
        Assert.Equal(expected, mode);
    }

    [Theory]
    [InlineData("Foo")]
    [InlineData("1")]
    [InlineData("Simulation,Real")]
    public void Rejects_anything_that_is_not_a_mode_name(string value)
    {
        Assert.False(LabModeSetting.TryRead(Configuration(value), out _, out var error));
        Assert.Contains($"'{value}'", error);
        Assert.Contains("LabNet:Mode", error);
    }

    private static IConfiguration Configuration(string? mode) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [LabModeSetting.Key] = mode })
            .Build();
}
