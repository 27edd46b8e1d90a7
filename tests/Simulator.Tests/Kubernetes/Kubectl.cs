using System.Diagnostics;
using System.Text;

namespace LabNet.Simulator.Tests.Kubernetes;

/// <summary>Runs the real <c>/usr/bin/kubectl</c> with a kubeconfig naming the simulated cluster, and nothing else special.</summary>
public sealed class Kubectl
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _home;

    public Kubectl(Uri server)
    {
        _home = Directory.CreateTempSubdirectory("labnet-kubectl-").FullName;
        KubeconfigPath = Path.Combine(_home, "config");
        File.WriteAllText(KubeconfigPath, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - cluster:
                server: {server}
              name: lab
            contexts:
            - context:
                cluster: lab
                user: admin
              name: admin@lab
            current-context: admin@lab
            users:
            - name: admin
              user:
                token: simulated-admin-token
            """);
        WorkingDirectory = Directory.CreateTempSubdirectory("labnet-manifests-").FullName;
    }

    public string KubeconfigPath { get; }

    /// <summary>Where tests write manifests; relative paths in arguments resolve here.</summary>
    public string WorkingDirectory { get; }

    /// <summary>Copies the test manifests (tests/Simulator.Tests/Kubernetes/Manifests) into the working directory.</summary>
    public void CopyManifests()
    {
        var source = Path.Combine(AppContext.BaseDirectory, "Kubernetes", "Manifests");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(WorkingDirectory, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    public string WriteFile(string relativePath, string content)
    {
        var path = Path.Combine(WorkingDirectory, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Runs kubectl to the end; one that hangs is killed after the timeout and reported with exit code -1.</summary>
    public async Task<KubectlResult> RunAsync(params string[] args)
    {
        using var process = Start(args);
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return new KubectlResult(-1, await stdout, $"(killed after {Timeout})\n" + await stderr);
        }

        return new KubectlResult(process.ExitCode, await stdout, await stderr);
    }

    public Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("/usr/bin/kubectl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = WorkingDirectory,
            StandardOutputEncoding = Encoding.UTF8,
        };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        start.Environment["KUBECONFIG"] = KubeconfigPath;
        start.Environment["HOME"] = _home;
        start.Environment.Remove("KUBERNETES_SERVICE_HOST");
        return Process.Start(start)!;
    }
}

public sealed record KubectlResult(int ExitCode, string Stdout, string Stderr)
{
    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{Stdout}\n--- stderr\n{Stderr}";
}
