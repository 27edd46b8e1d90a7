using BenchmarkDotNet.Running;

namespace LabNet.Benchmarks;

public static class BenchmarkEntryPoint
{
    public static async Task Main(string[] args)
    {
        if (args is ["canary-quality", ..])
        {
            await CanaryQuality.CanaryQualityReportCommand.RunAsync(args[1..]);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkEntryPoint).Assembly).Run(args);
    }
}
