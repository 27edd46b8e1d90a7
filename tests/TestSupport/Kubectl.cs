using System.Diagnostics;
using System.Text;

namespace LabNet.TestSupport;

/// <summary>
/// The real kubectl, as a person runs it: the one on <c>PATH</c>, with a kubeconfig and nothing else special. Its home
/// (discovery cache) is the kubeconfig's folder, so one lab's cache never answers for another server on a reused port.
/// </summary>
public sealed class Kubectl
{
    private static readonly Lazy<string> Located = new(Locate);

    public Kubectl(string kubeconfigPath, string? workingDirectory = null)
    {
        KubeconfigPath = kubeconfigPath;
        WorkingDirectory = workingDirectory ?? Path.GetDirectoryName(Path.GetFullPath(kubeconfigPath))!;
    }

    /// <summary>The kubectl on <c>PATH</c>; throws with what to install when there is none.</summary>
    public static string Executable => Located.Value;

    public string KubeconfigPath { get; }

    /// <summary>Where relative paths in arguments resolve (<see cref="WriteFile"/> writes there).</summary>
    public string WorkingDirectory { get; }

    /// <summary>How long one command may take before it is killed (reported as exit code -1).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A kubectl for an API server with a token, its kubeconfig and working folder fresh temporary ones.</summary>
    public static Kubectl ForServer(Uri server, string token = "simulated-admin-token")
    {
        var home = Directory.CreateTempSubdirectory("labnet-kubectl-").FullName;
        var kubeconfig = Path.Combine(home, "config");
        File.WriteAllText(kubeconfig, $"""
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
                token: {token}
            """);
        return new Kubectl(kubeconfig, Directory.CreateTempSubdirectory("labnet-manifests-").FullName);
    }

    public Task<ProcessResult> RunAsync(params string[] arguments) => ProcessRunner.RunAsync(StartInfo(arguments), Timeout);

    /// <summary>Runs kubectl and returns its stdout; a non-zero exit throws with what it printed.</summary>
    public async Task<string> OutputAsync(params string[] arguments)
    {
        var result = await RunAsync(arguments);
        return result.ExitCode == 0
            ? result.Stdout
            : throw new InvalidOperationException($"kubectl {string.Join(' ', arguments)} exited with {result.ExitCode}: {result.Stderr}");
    }

    /// <summary>Starts kubectl for a long-running or interactive command (port-forward, exec -i, logs -f); output is redirected.</summary>
    public Process Start(params string[] arguments)
    {
        var start = StartInfo(arguments);
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.StandardOutputEncoding = Encoding.UTF8;
        return Process.Start(start) ?? throw new InvalidOperationException("kubectl did not start.");
    }

    /// <summary>The start info of a kubectl command (for a caller that wraps it, e.g. in <c>script</c> for a terminal).</summary>
    public ProcessStartInfo StartInfo(params string[] arguments)
    {
        var start = ProcessRunner.StartInfo(Executable, arguments);
        Isolate(start);
        return start;
    }

    /// <summary>kubectl's environment for a command line that runs it some other way (e.g. <c>script -c "kubectl ..."</c>).</summary>
    public void Isolate(ProcessStartInfo start)
    {
        start.WorkingDirectory = WorkingDirectory;
        start.Environment["KUBECONFIG"] = KubeconfigPath;
        start.Environment["HOME"] = Path.GetDirectoryName(Path.GetFullPath(KubeconfigPath));
        start.Environment.Remove("KUBERNETES_SERVICE_HOST");
    }

    public string WriteFile(string relativePath, string content)
    {
        var path = Path.Combine(WorkingDirectory, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }

    /// <summary>Copies a folder's files (keeping subfolders) into the working folder.</summary>
    public void CopyFrom(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(WorkingDirectory, Path.GetRelativePath(folder, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
    }

    private static string Locate()
    {
        foreach (var folder in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(folder, "kubectl");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            "kubectl is not on PATH. The tests drive the real kubectl (client 1.31 or 1.32, see the README): " +
            "`bash .ci/run` installs it when it is missing, or install it yourself (Debian: apt-get install kubectl or kubernetes-client).");
    }
}
