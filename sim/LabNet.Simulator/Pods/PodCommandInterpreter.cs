namespace LabNet.Simulator.Pods;

/// <summary>
/// Runs a program inside a container, as the container runtime would exec it: argv directly (no shell unless the
/// program is one), only if the image has the executable. The programs are the few a person uses in the lab's pods.
/// </summary>
public sealed class PodCommandInterpreter
{
    private readonly Dictionary<string, IPodCommand> _commands = new(StringComparer.Ordinal);

    public PodCommandInterpreter(IEnumerable<IPodCommand> commands)
    {
        foreach (var command in commands.Append(new PodShell(this)))
        {
            foreach (var name in command.Names)
            {
                _commands[name] = command;
            }
        }
    }

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
    public Task<int> RunAsync(PodProcess process, IReadOnlyList<string> argv, string stdin, TextWriter stdout, TextWriter stderr, CancellationToken cancellation) =>
        RunAsync(new PodCommandCall(process, argv, stdin, stdout, stderr, Environment(process), cancellation));

    internal async Task<int> RunAsync(PodCommandCall call)
    {
        if (_commands.TryGetValue(call.Name, out var command))
        {
            return await command.RunAsync(call);
        }

        // The image has the file, but the twin does not model what it does: say so rather than pretend.
        await call.Stderr.WriteLineAsync($"{call.Name}: this program is in the image but its behaviour is not modelled by the LabNet simulator");
        return 126;
    }
}
