using LabNet.Simulator.Clock;
using LabNet.Simulator.Faults;
using LabNet.Simulator.Tools;

namespace LabNet.Simulator.LabWorld;

/// <summary>The lab world's HTTP routes: the tools boundary, the fault hooks and the modeled clock.</summary>
public static class LabWorldEndpoints
{
    public static IEndpointRouteBuilder MapLabWorld(this IEndpointRouteBuilder app)
    {
        app.MapTools();
        app.MapFaults();
        app.MapClock();
        return app;
    }
}
