namespace LabNet.Simulator.Pods;

/// <summary>
/// What the simulated kubelet knows about an image: which executables are in its <c>$PATH</c> (so <c>kubectl exec</c>
/// of a missing one fails as containerd does), its ENTRYPOINT and CMD (so a container runs what containerd would run),
/// and which of its programs are servers that run until they are stopped (everything else runs and exits).
/// </summary>
public sealed record ContainerImage(
    string Reference,
    string Family,
    IReadOnlySet<string> Executables,
    IReadOnlyList<string> Entrypoint,
    IReadOnlyList<string> Cmd,
    IReadOnlySet<string> Servers)
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

    public bool Has(string executable) => Executables.Contains(BaseName(executable));

    /// <summary>
    /// What containerd runs for a container spec, by the OCI rules: <c>command</c> replaces the ENTRYPOINT (and drops
    /// the CMD), <c>args</c> replace the CMD. curlimages/curl's entrypoint script puts curl in front of arguments that
    /// are options.
    /// </summary>
    public IReadOnlyList<string> MainProcess(IReadOnlyList<string> command, IReadOnlyList<string> args)
    {
        if (command.Count > 0)
        {
            return [.. command, .. args];
        }

        if (Family == "curl" && args.Count > 0 && args[0].StartsWith('-'))
        {
            return ["curl", .. args];
        }

        return [.. Entrypoint, .. args.Count > 0 ? args : Cmd];
    }

    /// <summary>
    /// Whether <paramref name="argv"/> starts a server (nginx, etcd, kube-apiserver, CoreDNS, Envoy's pilot-agent...),
    /// which runs until it is stopped, rather than a command that ends. Some servers are one subcommand of their binary:
    /// <c>pilot-agent proxy</c> runs Envoy while <c>pilot-agent istio-iptables</c> (istio-init) ends.
    /// </summary>
    public bool IsServer(IReadOnlyList<string> argv)
    {
        if (argv.Count == 0 || !Servers.Contains(BaseName(argv[0])))
        {
            return false;
        }

        var subcommand = argv.Count > 1 ? argv[1] : "";
        return BaseName(argv[0]) switch
        {
            "pilot-agent" => subcommand == "proxy",
            "pilot-discovery" => subcommand is "discovery" or "",
            "hubble-relay" => subcommand is "serve" or "",
            "kc.sh" => subcommand is "start" or "start-dev",
            _ => true,
        };
    }

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
        var os = reference.Contains("alpine", StringComparison.Ordinal) ? BusyBox : Debian;

        return last switch
        {
            "curl" when name.Contains("curlimages/", StringComparison.Ordinal) => Tool(reference, "curl", Set(BusyBox, "curl"), ["curl"]),
            "nginx" => Server(reference, "nginx", Set(os, "curl", "nginx"), [], ["nginx", "-g", "daemon off;"]),
            "httpbin" or "go-httpbin" => Server(reference, "httpbin", Set(Debian, "curl", "gunicorn", "python3"), [], ["gunicorn", "-b", "0.0.0.0:80", "httpbin:app", "-k", "gevent"]),
            "proxyv2" => Server(reference, "istio-proxy", Set(Debian, "curl", "pilot-agent", "envoy"), ["/usr/local/bin/pilot-agent"], []),
            "pilot" => Server(reference, "istiod", Set(Debian, "pilot-discovery"), ["/usr/local/bin/pilot-discovery"], []),
            "cilium" => Server(reference, "cilium-agent", Set(Debian, "cilium", "cilium-dbg", "cilium-agent", "cilium-health", "bpftool", "curl"), [], ["cilium-agent"]),
            "operator-generic" or "operator" => Server(reference, "cilium-operator", Set([], "cilium-operator-generic"), [], ["cilium-operator-generic"]),
            "hubble-relay" => Server(reference, "hubble-relay", Set([], "hubble-relay"), ["/usr/local/bin/hubble-relay"], ["serve"]),
            "hubble-ui" => Server(reference, "hubble-ui", Set(BusyBox, "nginx"), ["/docker-entrypoint.sh"], ["nginx", "-g", "daemon off;"], server: "nginx"),
            "hubble-ui-backend" => Server(reference, "hubble-ui-backend", Set([], "backend"), [], ["/usr/bin/backend"]),
            "etcd" => Server(reference, "etcd", Set([], "etcd", "etcdctl", "etcdutl"), [], ["/usr/local/bin/etcd"]),
            "kube-apiserver" or "kube-controller-manager" or "kube-scheduler" => Server(reference, last, Set([], last), [], [$"/usr/local/bin/{last}"]),
            "kube-proxy" => Server(reference, "kube-proxy", Set(Debian, "kube-proxy", "iptables", "ip6tables", "conntrack"), [], ["/usr/local/bin/kube-proxy"]),
            "coredns" => Server(reference, "coredns", Set([], "coredns"), ["/coredns"], []),
            "redis" => Server(reference, "redis", Set(os, "redis-server", "redis-cli"), ["docker-entrypoint.sh"], ["redis-server"], server: "redis-server"),
            "postgres" => Server(reference, "postgres", Set(os, "postgres", "psql"), ["docker-entrypoint.sh"], ["postgres"], server: "postgres"),
            "rabbitmq" => Server(reference, "rabbitmq", Set(os, "rabbitmq-server", "rabbitmqctl"), ["docker-entrypoint.sh"], ["rabbitmq-server"], server: "rabbitmq-server"),
            "keycloak" => Server(reference, "keycloak", Set(["sh", "bash", "echo", "cat", "env", "hostname", "sleep", "true", "false"], "kc.sh"), ["/opt/keycloak/bin/kc.sh"], []),
            "busybox" => Tool(reference, "busybox", Set(BusyBox), ["sh"]),
            "alpine" => Tool(reference, "alpine", Set(BusyBox), ["/bin/sh"]),
            "pause" => Server(reference, "pause", Set([], "pause"), ["/pause"], []),
            "metrics-server" => Server(reference, "metrics-server", Set([], "metrics-server"), ["/metrics-server"], []),
            _ => Tool(reference, "generic", Set(Debian), ["/bin/sh"]),
        };
    }

    private static string BaseName(string executable) => executable[(executable.LastIndexOf('/') + 1)..];

    // The "docker-entrypoint.sh" of the official images execs its arguments after setting up: the server is the
    // program it is given, so the wrapper itself is no program of the simulation.
    private static ContainerImage Server(string reference, string family, HashSet<string> executables, string[] entrypoint, string[] cmd, string? server = null)
    {
        var effective = entrypoint is ["docker-entrypoint.sh" or "/docker-entrypoint.sh"] ? [] : entrypoint;
        var servers = new HashSet<string>(StringComparer.Ordinal) { server ?? BaseName(effective.Length > 0 ? effective[0] : cmd[0]) };
        return new(reference, family, executables, effective, cmd, servers);
    }

    private static ContainerImage Tool(string reference, string family, HashSet<string> executables, string[] cmd) =>
        new(reference, family, executables, [], cmd, new HashSet<string>(StringComparer.Ordinal));

    private static HashSet<string> Set(IEnumerable<string> baseSet, params string[] extra) => [.. baseSet, .. extra];
}
