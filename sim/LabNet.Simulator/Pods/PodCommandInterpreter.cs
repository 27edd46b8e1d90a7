using LabNet.Simulator.Shell;

namespace LabNet.Simulator.Pods;

/// <summary>
/// Runs a program inside a container, as the container runtime would exec it: argv directly (no shell unless the
/// program is one), only if the image has the executable. Shells are the one shell interpreter
/// (<see cref="ShellInterpreter"/>) on the container (<see cref="PodShellHost"/>); the programs are the shared ones
/// and the few only containers have.
/// </summary>
public sealed class PodCommandInterpreter(PodPrograms programs)
{
    /// <summary>The container's main process is PID 1 of its PID namespace.</summary>
    public const int MainProcessId = 1;

    /// <summary>A process exec'd into a running container comes after the main process and its helpers.</summary>
    public const int ExecProcessId = 7;

    /// <summary>Whether <c>exec</c> of <paramref name="executable"/> in this image would find a file to run.</summary>
    public static bool ImageHas(PodProcess process, string executable) => process.Image.Has(executable);

    /// <summary>The container's environment as its processes see it: the image's PATH and HOSTNAME, the spec's env, the Service variables kubelet adds.</summary>
    public static Dictionary<string, string> Environment(PodProcess process)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
            ["HOSTNAME"] = process.Hostname,
            ["HOME"] = "/root",
        };
        foreach (var variable in (process.ContainerSpec?["env"] as System.Text.Json.Nodes.JsonArray ?? []).OfType<System.Text.Json.Nodes.JsonObject>())
        {
            if (variable["name"]?.GetValue<string>() is { } name && variable["value"] is { } value)
            {
                env[name] = value.GetValue<string>();
            }
        }

        // The kubelet's service links for the kubernetes Service, which every pod gets.
        var kubernetes = process.Cluster.Get("v1", "Service", "default", "kubernetes");
        if (kubernetes?["spec"]?["clusterIP"]?.GetValue<string>() is { } ip)
        {
            env["KUBERNETES_SERVICE_HOST"] = ip;
            env["KUBERNETES_SERVICE_PORT"] = "443";
            env["KUBERNETES_SERVICE_PORT_HTTPS"] = "443";
            env["KUBERNETES_PORT"] = $"tcp://{ip}:443";
            env["KUBERNETES_PORT_443_TCP"] = $"tcp://{ip}:443";
            env["KUBERNETES_PORT_443_TCP_PROTO"] = "tcp";
            env["KUBERNETES_PORT_443_TCP_PORT"] = "443";
            env["KUBERNETES_PORT_443_TCP_ADDR"] = ip;
        }

        return env;
    }

    /// <summary>Runs argv in the container; the caller has checked that the image has argv[0].</summary>
    public async Task<int> RunAsync(PodProcess process, IReadOnlyList<string> argv, string stdin, TextWriter stdout, TextWriter stderr,
        CancellationToken cancellation, int processId = ExecProcessId)
    {
        var host = new PodShellHost(process, programs, processId, cancellation);
        var io = new ShellIo(stdin, stdout, stderr);
        if (host.Shell(ShellPaths.FileName(argv[0])) is { } dialect)
        {
            return await ShellInvocation.RunAsync(new ShellInterpreter(host, dialect), argv.Skip(1).ToList(), io);
        }

        var call = new ProgramCall(argv[0], argv.Skip(1).ToList(), stdin, stdout, stderr, host.Environment, host.WorkingDirectory, host);
        if (await host.RunProgramAsync(call) is { } code)
        {
            return code;
        }

        await stderr.WriteLineAsync($"exec: \"{argv[0]}\": executable file not found in $PATH");
        return 127;
    }

    /// <summary>An interactive shell on the container's terminal (<c>kubectl exec -it POD -- sh</c>): one shell for the session's lines.</summary>
    public ShellInterpreter StartShell(PodProcess process, string shell, CancellationToken cancellation)
    {
        var host = new PodShellHost(process, programs, ExecProcessId, cancellation);
        return new ShellInterpreter(host, host.Shell(ShellPaths.FileName(shell)) ?? ShellDialect.Bash);
    }
}
