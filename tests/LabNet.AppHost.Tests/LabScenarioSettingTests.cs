using Microsoft.Extensions.Configuration;

namespace LabNet.AppHost.Tests;

public sealed class LabScenarioSettingTests
{
    [Theory]
    [InlineData(null, LabScenario.Default)]
    [InlineData("Default", LabScenario.Default)]
    [InlineData("none", LabScenario.None)]
    [InlineData("BadCanary", LabScenario.BadCanary)]
    [InlineData(" badcanary ", LabScenario.BadCanary)]
    [InlineData("SlowCanary", LabScenario.SlowCanary)]
    public void Reads_the_scenarios_by_name(string? value, LabScenario expected)
    {
        Assert.True(LabScenarioSetting.TryRead(Configuration(value), out var scenario, out _));
        Assert.Equal(expected, scenario);
    }

    [Fact]
    public void An_unknown_scenario_is_refused_with_every_allowed_value()
    {
        Assert.False(LabScenarioSetting.TryRead(Configuration("Broken"), out _, out var error));

        Assert.Contains("'LabNet:Scenario' is 'Broken'", error);
        Assert.Contains("Allowed values: Default, None, BadCanary, SlowCanary", error);
    }

    private static IConfiguration Configuration(string? scenario) =>
        new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { [LabScenarioSetting.Key] = scenario })
            .Build();
}
