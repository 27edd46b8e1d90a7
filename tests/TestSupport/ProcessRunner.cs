using System.Diagnostics;
using System.Text;

namespace LabNet.TestSupport;

/// <summary>Runs a program to its end and keeps what it printed; one that outlives its timeout is killed with its children.</summary>
public static class ProcessRunner
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromMinutes(2);

    public static Task<ProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, TimeSpan? timeout = null, CancellationToken cancellationToken = default) =>
        RunAsync(StartInfo(fileName, arguments), timeout, stdin: null, cancellationToken);

    /// <summary>Runs <paramref name="start"/> (its output is redirected here); a killed run has exit code -1 and says so in <see cref="ProcessResult.Stderr"/>.</summary>
    public static async Task<ProcessResult> RunAsync(ProcessStartInfo start, TimeSpan? timeout = null, string? stdin = null, CancellationToken cancellationToken = default)
    {
        var limit = timeout ?? DefaultTimeout;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = stdin is not null;
        start.StandardOutputEncoding ??= Encoding.UTF8;
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        if (stdin is not null)
        {
            await process.StandardInput.WriteAsync(stdin);
            process.StandardInput.Close();
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            return new ProcessResult(-1, await stdout, $"({Path.GetFileName(start.FileName)} killed after {limit})\n" + await stderr);
        }

        return new ProcessResult(process.ExitCode, await stdout, await stderr);
    }

    public static ProcessStartInfo StartInfo(string fileName, IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo(fileName) { UseShellExecute = false };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return start;
    }
}

/// <summary>How a process ended and what it printed.</summary>
public sealed record ProcessResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
