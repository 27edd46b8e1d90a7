using LabNet.Simulator.Shell;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace LabNet.Simulator.Programs;

/// <summary>Registers the programs every machine of the lab has (VM guests and containers alike).</summary>
public static class ShellProgramsServiceCollectionExtensions
{
    public static IServiceCollection AddShellPrograms(this IServiceCollection services)
    {
        services.TryAddEnumerable(
        [
            ServiceDescriptor.Singleton<IShellProgram, EchoProgram>(),
            ServiceDescriptor.Singleton<IShellProgram, TrueFalseProgram>(),
            ServiceDescriptor.Singleton<IShellProgram, HostnameProgram>(),
            ServiceDescriptor.Singleton<IShellProgram, EnvProgram>(),
            ServiceDescriptor.Singleton<IShellProgram, SleepProgram>(),
            ServiceDescriptor.Singleton<IShellProgram, FilePrograms>(),
            ServiceDescriptor.Singleton<IShellProgram, TextPrograms>(),
            ServiceDescriptor.Singleton<IShellProgram, SedProgram>(),
        ]);
        return services;
    }
}
