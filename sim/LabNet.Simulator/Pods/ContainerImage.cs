namespace LabNet.Simulator.Pods;

/// <summary>The main process an image runs when the pod spec gives no command: a server that runs until stopped, or a tool.</summary>
public enum ImageProcessKind
{
    /// <summary>A daemon (nginx, httpbin, the cilium agent, Envoy): the container runs until the pod goes away.</summary>
    Server,

    /// <summary>A tool (curl): the image's entrypoint runs the pod's args and the container ends with its exit code.</summary>
    Tool,
}

/// <summary>
/// What the simulated kubelet knows about an image: which executables are in its <c>$PATH</c> (so <c>kubectl exec</c>
/// of a missing one fails as containerd does), its default process, and the lines that process logs when it starts.
/// </summary>
public sealed record ContainerImage(
    string Reference,
    string Family,
    IReadOnlySet<string> Executables,
    ImageProcessKind DefaultProcess,
    IReadOnlyList<string> DefaultCommand)
{
    private static readonly string[] BusyBox =
    [
        "sh", "ash", "echo", "cat", "env", "hostname", "sleep", "true", "false", "ls", "ps", "printenv", "id", "whoami",
        "date", "nslookup", "wget", "grep", "head", "tail", "wc", "uname", "pwd", "test", "[", "seq", "sort", "uniq",
    ];

    private static readonly string[] Debian =
    [
        "sh", "bash", "dash", "echo", "cat", "env", "hostname", "sleep", "true", "false", "ls", "printenv", "id", "whoami",
        "date", "grep", "head", "tail", "wc", "uname", "pwd", "test", "[", "seq", "sort", "uniq",
    ];

    /// <summary>The image's tag, e.g. <c>1.24.2</c> for <c>docker.io/istio/proxyv2:1.24.2</c>; <c>latest</c> when none is given.</summary>
    public string Tag
    {
        get
        {
            var reference = Reference.Split('@')[0];
            var colon = reference.LastIndexOf(':');
            return colon > reference.LastIndexOf('/') ? reference[(colon + 1)..] : "latest";
        }
    }

    public bool Has(string executable) =>
        Executables.Contains(executable.StartsWith('/') ? executable[(executable.LastIndexOf('/') + 1)..] : executable);

    /// <summary>Recognizes the images the lab runs; anything else is treated as a small Debian-like image with a shell.</summary>
    public static ContainerImage For(string reference)
    {
        var name = reference.Split('@')[0];
        var colon = name.LastIndexOf(':');
        if (colon > name.LastIndexOf('/'))
        {
            name = name[..colon];
        }

        var last = name[(name.LastIndexOf('/') + 1)..];
        bool Alpine() => reference.Contains("alpine", StringComparison.Ordinal);

        return last switch
        {
            "curl" when name.Contains("curlimages/", StringComparison.Ordinal) =>
                new(reference, "curl", Set(BusyBox, "curl"), ImageProcessKind.Tool, ["curl"]),
            "nginx" => new(reference, "nginx", Set(Alpine() ? BusyBox : Debian, "curl", "nginx"), ImageProcessKind.Server, ["nginx", "-g", "daemon off;"]),
            "httpbin" or "go-httpbin" => new(reference, "httpbin", Set(Debian, "curl", "gunicorn", "python3"), ImageProcessKind.Server,
                ["gunicorn", "-b", "0.0.0.0:80", "httpbin:app", "-k", "gevent"]),
            "proxyv2" => new(reference, "istio-proxy", Set(Debian, "curl", "pilot-agent", "envoy"), ImageProcessKind.Server, ["/usr/local/bin/pilot-agent"]),
            "pilot" => new(reference, "istiod", Set(Debian, "pilot-discovery"), ImageProcessKind.Server, ["/usr/local/bin/pilot-discovery"]),
            "cilium" => new(reference, "cilium-agent", Set(Debian, "cilium", "cilium-dbg", "cilium-agent", "cilium-health", "bpftool", "curl"),
                ImageProcessKind.Server, ["cilium-agent"]),
            "operator-generic" or "operator" => new(reference, "cilium-operator", Set([], "cilium-operator-generic"), ImageProcessKind.Server, ["cilium-operator-generic"]),
            "hubble-relay" => new(reference, "hubble-relay", Set([], "hubble-relay"), ImageProcessKind.Server, ["hubble-relay", "serve"]),
            "redis" => new(reference, "redis", Set(Alpine() ? BusyBox : Debian, "redis-server", "redis-cli"), ImageProcessKind.Server, ["redis-server"]),
            "postgres" => new(reference, "postgres", Set(Alpine() ? BusyBox : Debian, "postgres", "psql"), ImageProcessKind.Server, ["postgres"]),
            "rabbitmq" => new(reference, "rabbitmq", Set(Alpine() ? BusyBox : Debian, "rabbitmq-server", "rabbitmqctl"), ImageProcessKind.Server, ["rabbitmq-server"]),
            "keycloak" => new(reference, "keycloak", Set(["sh", "bash", "echo", "cat", "env", "hostname", "sleep", "true", "false"], "kc.sh"),
                ImageProcessKind.Server, ["/opt/keycloak/bin/kc.sh", "start-dev"]),
            "busybox" => new(reference, "busybox", Set(BusyBox), ImageProcessKind.Tool, ["sh"]),
            "alpine" => new(reference, "alpine", Set(BusyBox), ImageProcessKind.Tool, ["/bin/sh"]),
            "pause" => new(reference, "pause", Set([], "pause"), ImageProcessKind.Server, ["/pause"]),
            "metrics-server" => new(reference, "metrics-server", Set([], "metrics-server"), ImageProcessKind.Server, ["/metrics-server"]),
            _ => new(reference, "generic", Set(Debian), ImageProcessKind.Tool, ["/bin/sh"]),
        };
    }

    private static HashSet<string> Set(IEnumerable<string> baseSet, params string[] extra) => [.. baseSet, .. extra];
}
