using LabNet.Simulator.Clock;

namespace LabNet.Simulator.Tests;

/// <summary>The simulator's namespaces form layers: no two of them use each other, directly or through others.</summary>
public sealed class NamespaceCycleTests
{
    [Fact]
    public void No_namespace_of_the_simulator_depends_on_itself_through_others()
    {
        var dependencies = NamespaceDependencies.Of(typeof(SimulationClock).Assembly, "LabNet.Simulator");

        var cycles = dependencies.Cycles();

        Assert.True(cycles.Count == 0, string.Join("\n", cycles.Select(c =>
            $"These namespaces use each other: {string.Join(", ", c)}\n{string.Join("\n", dependencies.Explain(c))}")));
    }

    [Fact]
    public void The_dependency_reader_sees_uses_through_signatures_and_method_bodies()
    {
        var dependencies = NamespaceDependencies.Of(typeof(SimulationClock).Assembly, "LabNet.Simulator");

        // A sanity check of the reader itself, on a dependency the simulator will always have: tools charge modeled time.
        Assert.Contains(dependencies.Edges.Keys, e => e.To == "LabNet.Simulator.Clock");
        Assert.NotEmpty(dependencies.Edges);
    }
}
