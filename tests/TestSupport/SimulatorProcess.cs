using System.Diagnostics;
using System.Text.RegularExpressions;

namespace LabNet.TestSupport;

/// <summary>
/// The simulator as its own process on a free loopback port, as the AppHost runs it: the Provisioner reaches it only
/// through the tool shims and the Kubernetes API, exactly as it reaches a real lab.
/// </summary>
public sealed partial class SimulatorProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly List<string> _output;

    private SimulatorProcess(Process process, Uri url, List<string> output)
    {
        _process = process;
        Url = url;
        _output = output;
    }

    public Uri Url { get; }

    public static string ShimsDirectory => RepositoryRoot.Combine("artifacts", "shims");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    public static async Task<SimulatorProcess> StartAsync(params string[] settings)
    {
        var dll = RepositoryRoot.Combine("sim", "LabNet.Simulator", "bin", BuildConfiguration, "net10.0", "LabNet.Simulator.dll");
        var startInfo = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = RepositoryRoot.Combine("sim", "LabNet.Simulator"),
            Environment =
            {
                ["ASPNETCORE_ENVIRONMENT"] = "Development",
                ["DOTNET_ENVIRONMENT"] = "Development",
                // A test's simulator lives seconds to a minute: recompiling its hot methods at tier 1 costs more CPU than
                // it saves (about 17 % of a one-cluster apply test, measured). Quick-JIT code only; behaviour is the same.
                ["DOTNET_TC_CallCountThreshold"] = "1000000",
            },
        };
        foreach (var argument in (string[])["exec", dll, "--urls", "http://127.0.0.1:0", .. settings])
        {
            startInfo.ArgumentList.Add(argument);
        }

        var process = Process.Start(startInfo)!;
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var output = new List<string>();
        void Collect(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (output)
            {
                output.Add(line);
            }

            if (Listening().Match(line) is { Success: true } match)
            {
                listening.TrySetResult(new Uri(match.Groups["url"].Value));
            }
        }

        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _ = process.WaitForExitAsync().ContinueWith(_ => listening.TrySetException(
            new InvalidOperationException($"The simulator exited ({process.ExitCode}) before listening:\n{string.Join('\n', output)}")), TaskScheduler.Default);

        try
        {
            var url = await listening.Task.WaitAsync(StartTimeout);
            return new SimulatorProcess(process, url, output);
        }
        catch
        {
            process.Kill(entireProcessTree: true);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"Now listening on: (?<url>http://127\.0\.0\.1:\d+)")]
    private static partial Regex Listening();

#if DEBUG
    private const string BuildConfiguration = "Debug";
#else
    private const string BuildConfiguration = "Release";
#endif
}
