using BenchmarkDotNet.Running;

namespace LabNet.Benchmarks;

public static class BenchmarkEntryPoint
{
    public static void Main(string[] args)
    {
        if (args is ["canary-quality", ..])
        {
            CanaryQuality.CanaryQualityReportCommand.Run(args[1..]);
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkEntryPoint).Assembly).Run(args);
    }
}
