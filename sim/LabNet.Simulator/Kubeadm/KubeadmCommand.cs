using System.Text.Json.Nodes;
using LabNet.Simulator.Faults;
using LabNet.Simulator.Guest;
using LabNet.Simulator.Kubernetes;
using LabNet.Simulator.Tart;

namespace LabNet.Simulator.Kubeadm;

/// <summary>
/// kubeadm 1.31 in a guest: init (preflight, certs, kubeconfigs, static pods, the cluster's API, the join line), join
/// (preflight, discovery over the lab network, node registration), reset, token create --print-join-command, the
/// certs/kubeconfig phases of init, and version.
/// </summary>
public sealed class KubeadmCommand(
    ClusterApiRegistryAccessor registryAccessor,
    KubeadmClusters clusters,
    ILogger<KubeadmCommand> logger) : IGuestCommand
{
    private static readonly HashSet<string> InitFlags =
    [
        "pod-network-cidr", "service-cidr", "skip-phases", "apiserver-advertise-address", "apiserver-bind-port", "node-name",
        "kubernetes-version", "ignore-preflight-errors", "control-plane-endpoint", "token", "token-ttl", "apiserver-cert-extra-sans",
        "cri-socket", "config", "v", "certificate-key", "service-dns-domain", "image-repository", "cert-dir", "kubeconfig", "rootfs",
    ];

    private static readonly HashSet<string> InitBooleans = ["upload-certs", "dry-run", "skip-token-print", "skip-certificate-key-print", "force", "print-join-command"];

    private static readonly HashSet<string> JoinFlags =
    [
        "token", "discovery-token-ca-cert-hash", "node-name", "ignore-preflight-errors", "cri-socket", "discovery-token", "tls-bootstrap-token",
        "v", "certificate-key", "apiserver-advertise-address", "config", "discovery-file", "skip-phases",
    ];

    public IReadOnlyList<string> Names { get; } = ["kubeadm"];

    private IClusterApiRegistry Registry => registryAccessor.Registry;

    public async Task<int> RunAsync(CommandCall call)
    {
        var args = call.Args;
        var verb = args.FirstOrDefault();
        return verb switch
        {
            "init" when args.Count > 1 && args[1] == "phase" => await PhaseAsync(call, args.Skip(2).ToList()),
            "init" => await InitAsync(call, args.Skip(1).ToList()),
            "join" => await JoinAsync(call, args.Skip(1).ToList()),
            "reset" => await ResetAsync(call, args.Skip(1).ToList()),
            "token" => await TokenAsync(call, args.Skip(1).ToList()),
            "version" => Version(call, args.Skip(1).ToList()),
            null => call.Fail("Usage:\n  kubeadm [command]\n\nAvailable Commands:\n  certs, completion, config, help, init, join, kubeconfig, reset, token, upgrade, version"),
            _ => call.Fail($"unknown command \"{verb}\" for \"kubeadm\"\nRun 'kubeadm --help' for usage."),
        };
    }

    private static string VersionOf(CommandCall call)
    {
        lock (call.Guest.Sync)
        {
            var package = call.Guest.PackageVersions.GetValueOrDefault("kubeadm") ?? "1.31.14-1.1";
            return "v" + package.Split('-')[0];
        }
    }

    private static int Version(CommandCall call, List<string> args)
    {
        var version = VersionOf(call);
        call.Out.WriteLine(args.Contains("short") || args.Contains("-oshort")
            ? version
            : $"kubeadm version: &version.Info{{Major:\"1\", Minor:\"{version.Split('.')[1]}\", GitVersion:\"{version}\", GoVersion:\"go1.22.8\", Compiler:\"gc\", Platform:\"linux/arm64\"}}");
        return 0;
    }

    private static int UnknownFlag(CommandCall call, string flag) =>
        call.Fail($"unknown flag: {flag}\n{KubeadmText.StackTraceHint}");

    private static bool Ignored(KubeadmFlags flags, string check)
    {
        var list = (flags.Get("ignore-preflight-errors") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return list.Any(i => i.Equals("all", StringComparison.OrdinalIgnoreCase) || i.Equals(check, StringComparison.OrdinalIgnoreCase));
    }

    /// <summary>The checks init and join share; returns the fatal ones (ignored ones become warnings).</summary>
    private static List<(string Check, string Message)> CommonPreflight(CommandCall call, KubeadmFlags flags, bool controlPlane)
    {
        var errors = new List<(string, string)>();
        var warnings = new List<(string, string)>();
        var guest = call.Guest;
        var vm = call.Shell.Vm;
        lock (guest.Sync)
        {
            if (controlPlane && vm.CpuCount < 2)
            {
                errors.Add(("NumCPU", $"the number of available CPUs {vm.CpuCount} is less than the required 2"));
            }

            if (controlPlane && vm.MemoryMb < 1700)
            {
                errors.Add(("Mem", $"the system RAM ({vm.MemoryMb} MB) is less than the minimum 1700 MB"));
            }

            if (guest.Services.GetValueOrDefault("containerd") is not { Running: true })
            {
                errors.Add(("CRI", "container runtime is not running: output: time=\"2024-11-26T06:00:00Z\" level=fatal msg=\"validate service connection: validate CRI v1 runtime API for endpoint \\\"unix:///var/run/containerd/containerd.sock\\\": rpc error: code = Unavailable desc = connection error: desc = \\\"transport: Error while dialing: dial unix /var/run/containerd/containerd.sock: connect: no such file or directory\\\"\"\n, error: exit status 1"));
            }

            if (!guest.Packages.Contains("conntrack"))
            {
                errors.Add(("FileExisting-conntrack", "conntrack not found in system path"));
            }

            if (!guest.Packages.Contains("kubelet"))
            {
                errors.Add(("KubeletVersion", "couldn't get kubelet version: cannot execute 'kubelet --version': exec: \"kubelet\": executable file not found in $PATH"));
            }

            if (guest.Sysctls.GetValueOrDefault("net.ipv4.ip_forward") != "1")
            {
                errors.Add(("FileContent--proc-sys-net-ipv4-ip_forward", "/proc/sys/net/ipv4/ip_forward contents are not set to 1"));
            }

            if (guest.SwapOn)
            {
                warnings.Add(("Swap", "swap is supported for cgroup v2 only. The kubelet must be properly configured to use swap. Please refer to https://kubernetes.io/docs/concepts/architecture/nodes/#swap-memory, or disable swap on the node"));
            }

            if (guest.Services.GetValueOrDefault("kubelet") is { Enabled: false })
            {
                warnings.Add(("Service-Kubelet", "kubelet service is not enabled, please run 'systemctl enable kubelet.service'"));
            }
        }

        foreach (var (check, message) in errors.Where(e => Ignored(flags, e.Item1)).Concat(warnings))
        {
            call.Out.WriteLine($"\t[WARNING {check}]: {message}");
        }

        return errors.Where(e => !Ignored(flags, e.Item1)).ToList();
    }

    private static string NodeNameOf(CommandCall call, KubeadmFlags flags)
    {
        lock (call.Guest.Sync)
        {
            return (flags.Get("node-name") ?? call.Guest.Hostname).ToLowerInvariant();
        }
    }

    /// <summary>The lab names nodes &lt;cluster&gt;-master / &lt;cluster&gt;-workerN; kubeadm itself calls every cluster "kubernetes".</summary>
    public static string ClusterNameOf(string nodeName)
    {
        foreach (var suffix in new[] { "-master", "-control-plane", "-controlplane", "-cp" })
        {
            if (nodeName.EndsWith(suffix, StringComparison.Ordinal) && nodeName.Length > suffix.Length)
            {
                return nodeName[..^suffix.Length];
            }
        }

        return nodeName;
    }

    private async Task<int> InitAsync(CommandCall call, List<string> args)
    {
        var flags = KubeadmFlags.Parse(args, InitFlags, InitBooleans);
        if (flags.UnknownFlag is { } unknown)
        {
            return UnknownFlag(call, unknown);
        }

        var vm = call.Shell.Vm;
        var version = flags.Get("kubernetes-version") ?? VersionOf(call);
        call.Out.WriteLine($"[init] Using Kubernetes version: {version}");
        call.Out.WriteLine("[preflight] Running pre-flight checks");
        if (!call.IsRoot)
        {
            call.Error.WriteLine(KubeadmText.PreflightFailure([("IsPrivilegedUser", "user is not running as root")]));
            return 1;
        }

        var errors = CommonPreflight(call, flags, controlPlane: true);
        lock (call.Guest.Sync)
        {
            if (clusters.ByMaster(vm.Name) is not null || call.Guest.FileExists($"{ControlPlaneFiles.ManifestsDir}/kube-apiserver.yaml"))
            {
                foreach (var port in new[] { "6443", "10259", "10257" })
                {
                    errors.Add(($"Port-{port}", $"Port {port} is in use"));
                }

                foreach (var manifest in new[] { "kube-apiserver", "kube-controller-manager", "kube-scheduler", "etcd" })
                {
                    errors.Add(($"FileAvailable--etc-kubernetes-manifests-{manifest}.yaml", $"/etc/kubernetes/manifests/{manifest}.yaml already exists"));
                }

                errors.Add(("Port-10250", "Port 10250 is in use"));
            }

            if (call.Guest.Exists("/var/lib/etcd") && !call.Guest.IsDirectoryEmpty("/var/lib/etcd"))
            {
                errors.Add(("DirAvailable--var-lib-etcd", "/var/lib/etcd is not empty"));
            }
        }

        errors = errors.Where(e => !Ignored(flags, e.Check)).ToList();
        if (errors.Count > 0)
        {
            call.Error.WriteLine(KubeadmText.PreflightFailure(errors));
            return 1;
        }

        var nodeName = NodeNameOf(call, flags);
        var advertise = flags.Get("apiserver-advertise-address") ?? vm.Address ?? "";
        var podCidr = flags.Get("pod-network-cidr") ?? "";
        var serviceCidr = flags.Get("service-cidr") ?? "10.96.0.0/12";
        var skipped = (flags.Get("skip-phases") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var extraSans = (flags.Get("apiserver-cert-extra-sans") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        var controlPlaneEndpoint = flags.Get("control-plane-endpoint") is { Length: > 0 } cpeFlag ? (cpeFlag.Contains(':') ? cpeFlag : cpeFlag + ":6443") : null;
        if (controlPlaneEndpoint is not null)
        {
            // kubeadm puts the endpoint's host into the apiserver certificate.
            extraSans.Add(controlPlaneEndpoint[..controlPlaneEndpoint.LastIndexOf(':')]);
        }
        var spec = new ControlPlaneSpec(nodeName, advertise, serviceCidr, podCidr, version, extraSans);
        var durations = call.Shell.Durations;

        call.Out.WriteLine("[preflight] Pulling images required for setting up a Kubernetes cluster");
        call.Out.WriteLine("[preflight] This might take a minute or two, depending on the speed of your internet connection");
        call.Out.WriteLine("[preflight] You can also perform this action beforehand using 'kubeadm config images pull'");
        await call.Elapse(durations.KubeadmInit / 2);

        var now = call.Shell.Clock.Now;
        lock (call.Guest.Sync)
        {
            call.Out.WriteLine($"[certs] Using certificateDir folder \"{ControlPlaneFiles.PkiDir}\"");
            foreach (var phase in ControlPlaneFiles.CertificatePhases)
            {
                ControlPlaneFiles.Certificate(call.Guest, phase, spec, now, call.Out);
            }
        }

        // The cluster's API appears on the simulator; admin.conf names it.
        var bootstrap = new ClusterBootstrap(ClusterNameOf(nodeName), podCidr, serviceCidr, version, nodeName, advertise);
        if (Registry.Find(bootstrap.Name) is not null)
        {
            logger.LogWarning("Cluster {Cluster} existed without a control plane that knew it; replacing it", bootstrap.Name);
            Registry.Remove(bootstrap.Name);
            clusters.Remove(bootstrap.Name);
        }

        var api = Registry.Create(bootstrap);
        string caPem;
        lock (call.Guest.Sync)
        {
            caPem = call.Guest.ReadFile($"{ControlPlaneFiles.PkiDir}/ca.crt")!;
            call.Out.WriteLine("[kubeconfig] Using kubeconfig folder \"/etc/kubernetes\"");
            foreach (var phase in ControlPlaneFiles.KubeconfigPhases)
            {
                ControlPlaneFiles.Kubeconfig(call.Guest, phase, nodeName, phase == "admin" ? api.Server.ToString().TrimEnd('/') : $"https://{advertise}:6443", now, call.Out);
            }

            call.Out.WriteLine($"[etcd] Creating static Pod manifest for local etcd in \"{ControlPlaneFiles.ManifestsDir}\"");
            call.Out.WriteLine($"[control-plane] Using manifest folder \"{ControlPlaneFiles.ManifestsDir}\"");
            foreach (var component in new[] { "kube-apiserver", "kube-controller-manager", "kube-scheduler" })
            {
                call.Out.WriteLine($"[control-plane] Creating static Pod manifest for \"{component}\"");
            }

            ControlPlaneFiles.WriteManifests(call.Guest, spec);
            call.Guest.CreateDirectory("/var/lib/etcd/member");
            call.Guest.WriteFile("/var/lib/etcd/member/snap/db", "etcd");
            call.Out.WriteLine("[kubelet-start] Writing kubelet environment file with flags to file \"/var/lib/kubelet/kubeadm-flags.env\"");
            call.Out.WriteLine("[kubelet-start] Writing kubelet configuration to file \"/var/lib/kubelet/config.yaml\"");
            call.Guest.WriteFile("/var/lib/kubelet/kubeadm-flags.env", "KUBELET_KUBEADM_ARGS=\"--container-runtime-endpoint=unix:///var/run/containerd/containerd.sock --pod-infra-container-image=registry.k8s.io/pause:3.10\"\n");
            call.Guest.WriteFile("/var/lib/kubelet/config.yaml", "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncgroupDriver: systemd\n");
            call.Out.WriteLine("[kubelet-start] Starting the kubelet");
            var kubelet = call.Guest.Services.GetValueOrDefault("kubelet");
            if (kubelet is not null)
            {
                kubelet.Running = true;
            }

            call.Out.WriteLine($"[wait-control-plane] Waiting for the kubelet to boot up the control plane as static Pods from directory \"{ControlPlaneFiles.ManifestsDir}\"");
            call.Out.WriteLine("[kubelet-check] Waiting for a healthy kubelet at http://127.0.0.1:10248/healthz. This can take up to 4m0s");
        }

        var kubeletFails = call.Guest.SwapOn || call.Shell.Host.Faults.Fire(FaultKind.KubeadmInitFails, vm.Name);
        if (kubeletFails)
        {
            await call.Elapse(durations.KubeletHealthTimeout);
            Registry.Remove(bootstrap.Name);
            call.Out.Write(KubeadmText.KubeletNotHealthy(durations.KubeletHealthTimeout));
            call.Error.WriteLine("error execution phase wait-control-plane: failed while waiting for the kubelet to start: The HTTP call equal to 'curl -sSL http://127.0.0.1:10248/healthz' returned error: Get \"http://127.0.0.1:10248/healthz\": context deadline exceeded");
            call.Error.WriteLine(KubeadmText.StackTraceHint);
            return 1;
        }

        call.Out.WriteLine("[kubelet-check] The kubelet is healthy after 1.001518446s");
        call.Out.WriteLine("[api-check] Waiting for a healthy API server. This can take up to 4m0s");
        await call.Elapse(durations.KubeadmInit / 2);
        call.Out.WriteLine("[api-check] The API server is healthy after 6.502030218s");

        var cluster = new KubeadmCluster(bootstrap, api, vm.Name, caPem) { ControlPlaneEndpoint = controlPlaneEndpoint };
        var token = flags.Get("token") ?? NewToken(call);
        RegisterClusterObjects(cluster, call, token, now, kubeProxy: !skipped.Any(s => s is "addon/kube-proxy" or "addon/*" or "addon"));
        clusters.Add(cluster);

        call.Out.WriteLine("[upload-config] Storing the configuration used in ConfigMap \"kubeadm-config\" in the \"kube-system\" Namespace");
        call.Out.WriteLine("[kubelet] Creating a ConfigMap \"kubelet-config\" in namespace kube-system with the configuration for the kubelets in the cluster");
        call.Out.WriteLine("[upload-certs] Skipping phase. Please see --upload-certs");
        call.Out.WriteLine($"[mark-control-plane] Marking the node {nodeName} as control-plane by adding the labels: [node-role.kubernetes.io/control-plane node.kubernetes.io/exclude-from-external-load-balancers]");
        call.Out.WriteLine($"[mark-control-plane] Marking the node {nodeName} as control-plane by adding the taints [node-role.kubernetes.io/control-plane:NoSchedule]");
        call.Out.WriteLine($"[bootstrap-token] Using token: {token}");
        call.Out.WriteLine("[bootstrap-token] Configuring bootstrap tokens, cluster-info ConfigMap, RBAC Roles");
        call.Out.WriteLine("[bootstrap-token] Configured RBAC rules to allow Node Bootstrap tokens to get nodes");
        call.Out.WriteLine("[bootstrap-token] Configured RBAC rules to allow Node Bootstrap tokens to post CSRs in order for nodes to get long term certificate credentials");
        call.Out.WriteLine("[bootstrap-token] Configured RBAC rules to allow the csrapprover controller automatically approve CSRs from a Node Bootstrap Token");
        call.Out.WriteLine("[bootstrap-token] Configured RBAC rules to allow certificate rotation for all node client certificates in the cluster");
        call.Out.WriteLine("[bootstrap-token] Creating the \"cluster-info\" ConfigMap in the \"kube-public\" namespace");
        call.Out.WriteLine("[kubelet-finalize] Updating \"/etc/kubernetes/kubelet.conf\" to point to a rotatable kubelet client certificate and key");
        call.Out.WriteLine("[addons] Applied essential addon: CoreDNS");
        if (!skipped.Any(s => s is "addon/kube-proxy" or "addon/*" or "addon"))
        {
            call.Out.WriteLine("[addons] Applied essential addon: kube-proxy");
        }

        var endpoint = controlPlaneEndpoint ?? $"{advertise}:6443";
        call.Out.Write(KubeadmText.InitSuccess(endpoint, token, cluster.CaHash));
        return 0;
    }

    private static string NewToken(CommandCall call) => $"{call.Shell.Host.Random.Token(6)}.{call.Shell.Host.Random.Token(16)}";

    private void RegisterClusterObjects(KubeadmCluster cluster, CommandCall call, string token, DateTimeOffset now, bool kubeProxy)
    {
        var api = cluster.Api;
        var bootstrap = cluster.Bootstrap;
        if (kubeProxy)
        {
            var proxyLabels = new JsonObject { ["k8s-app"] = "kube-proxy" };
            api.Apply(new JsonObject
            {
                ["apiVersion"] = "apps/v1",
                ["kind"] = "DaemonSet",
                ["metadata"] = ClusterObjects.Metadata("kube-proxy", "kube-system", proxyLabels.DeepClone().AsObject()),
                ["spec"] = new JsonObject
                {
                    ["selector"] = new JsonObject { ["matchLabels"] = proxyLabels.DeepClone() },
                    ["template"] = new JsonObject
                    {
                        ["metadata"] = new JsonObject { ["labels"] = proxyLabels.DeepClone() },
                        ["spec"] = new JsonObject
                        {
                            ["hostNetwork"] = true,
                            ["containers"] = new JsonArray(new JsonObject { ["name"] = "kube-proxy", ["image"] = $"registry.k8s.io/kube-proxy:{bootstrap.KubernetesVersion}" }),
                        },
                    },
                },
            });
        }

        foreach (var ns in new[] { "default", "kube-system", "kube-public", "kube-node-lease" })
        {
            ClusterObjects.Ensure(api, ClusterObjects.Namespace(ns));
        }

        ClusterObjects.Ensure(api, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = ClusterObjects.Metadata("kubernetes", "default", new JsonObject { ["component"] = "apiserver", ["provider"] = "kubernetes" }),
            ["spec"] = new JsonObject
            {
                ["type"] = "ClusterIP",
                ["clusterIP"] = ClusterObjects.AddressIn(bootstrap.ServiceCidr, 1),
                ["ports"] = new JsonArray(new JsonObject { ["name"] = "https", ["port"] = 443, ["protocol"] = "TCP", ["targetPort"] = 6443 }),
            },
        });

        AddNode(cluster, bootstrap.ControlPlaneNode, call.Shell.Vm, controlPlane: true, now);

        api.Apply(ClusterObjects.ConfigMap("kubeadm-config", "kube-system", new Dictionary<string, string>
        {
            ["ClusterConfiguration"] =
                $"apiVersion: kubeadm.k8s.io/v1beta4\nkind: ClusterConfiguration\nclusterName: kubernetes\nkubernetesVersion: {bootstrap.KubernetesVersion}\n" +
                $"networking:\n  dnsDomain: cluster.local\n  podSubnet: {bootstrap.PodCidr}\n  serviceSubnet: {bootstrap.ServiceCidr}\n",
        }));
        api.Apply(ClusterObjects.ConfigMap("kubelet-config", "kube-system", new Dictionary<string, string>
        {
            ["kubelet"] = "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncgroupDriver: systemd\nclusterDNS:\n- " + ClusterObjects.AddressIn(bootstrap.ServiceCidr, 10) + "\n",
        }));
        api.Apply(ClusterObjects.ConfigMap("cluster-info", "kube-public", new Dictionary<string, string>
        {
            ["kubeconfig"] =
                $"apiVersion: v1\nclusters:\n- cluster:\n    certificate-authority-data: {Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(cluster.CaCertificatePem))}\n    server: https://{bootstrap.AdvertiseAddress}:6443\n  name: \"\"\ncontexts: null\ncurrent-context: \"\"\nkind: Config\npreferences: {{}}\nusers: null\n",
        }));
        AddToken(api, token, now);

        foreach (var component in new[] { "etcd", "kube-apiserver", "kube-controller-manager", "kube-scheduler" })
        {
            api.Apply(StaticPod(component, bootstrap.ControlPlaneNode, bootstrap.AdvertiseAddress, bootstrap.KubernetesVersion, now));
        }

        var dnsLabels = new JsonObject { ["k8s-app"] = "kube-dns" };
        api.Apply(ClusterObjects.ConfigMap("coredns", "kube-system", new Dictionary<string, string>
        {
            ["Corefile"] = ".:53 {\n    errors\n    health {\n       lameduck 5s\n    }\n    ready\n    kubernetes cluster.local in-addr.arpa ip6.arpa {\n       pods insecure\n       fallthrough in-addr.arpa ip6.arpa\n       ttl 30\n    }\n    prometheus :9153\n    forward . /etc/resolv.conf\n    cache 30\n    loop\n    reload\n    loadbalance\n}\n",
        }));
        api.Apply(new JsonObject
        {
            ["apiVersion"] = "apps/v1",
            ["kind"] = "Deployment",
            ["metadata"] = ClusterObjects.Metadata("coredns", "kube-system", dnsLabels.DeepClone().AsObject()),
            ["spec"] = new JsonObject
            {
                ["replicas"] = 2,
                ["selector"] = new JsonObject { ["matchLabels"] = dnsLabels.DeepClone() },
                ["template"] = new JsonObject
                {
                    ["metadata"] = new JsonObject { ["labels"] = dnsLabels.DeepClone() },
                    ["spec"] = new JsonObject
                    {
                        ["priorityClassName"] = "system-cluster-critical",
                        ["tolerations"] = new JsonArray(new JsonObject { ["key"] = "CriticalAddonsOnly", ["operator"] = "Exists" }, new JsonObject { ["key"] = "node-role.kubernetes.io/control-plane", ["effect"] = "NoSchedule" }),
                        ["containers"] = new JsonArray(new JsonObject
                        {
                            ["name"] = "coredns",
                            ["image"] = "registry.k8s.io/coredns/coredns:v1.11.3",
                            ["args"] = new JsonArray("-conf", "/etc/coredns/Corefile"),
                            ["ports"] = new JsonArray(
                                new JsonObject { ["name"] = "dns", ["containerPort"] = 53, ["protocol"] = "UDP" },
                                new JsonObject { ["name"] = "dns-tcp", ["containerPort"] = 53, ["protocol"] = "TCP" },
                                new JsonObject { ["name"] = "metrics", ["containerPort"] = 9153, ["protocol"] = "TCP" }),
                        }),
                    },
                },
            },
        });
        api.Apply(new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Service",
            ["metadata"] = ClusterObjects.Metadata("kube-dns", "kube-system", new JsonObject { ["k8s-app"] = "kube-dns", ["kubernetes.io/name"] = "CoreDNS" }),
            ["spec"] = new JsonObject
            {
                ["type"] = "ClusterIP",
                ["clusterIP"] = ClusterObjects.AddressIn(bootstrap.ServiceCidr, 10),
                ["selector"] = dnsLabels.DeepClone(),
                ["ports"] = new JsonArray(
                    new JsonObject { ["name"] = "dns", ["port"] = 53, ["protocol"] = "UDP", ["targetPort"] = 53 },
                    new JsonObject { ["name"] = "dns-tcp", ["port"] = 53, ["protocol"] = "TCP", ["targetPort"] = 53 },
                    new JsonObject { ["name"] = "metrics", ["port"] = 9153, ["protocol"] = "TCP", ["targetPort"] = 9153 }),
            },
        });
    }

    private static JsonObject StaticPod(string component, string node, string address, string version, DateTimeOffset now)
    {
        var image = component == "etcd" ? "registry.k8s.io/etcd:3.5.15-0" : $"registry.k8s.io/{component}:{version}";
        var stamp = ClusterObjects.Timestamp(now);
        return new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "Pod",
            ["metadata"] = new JsonObject
            {
                ["name"] = $"{component}-{node}",
                ["namespace"] = "kube-system",
                ["labels"] = new JsonObject { ["component"] = component, ["tier"] = "control-plane" },
                ["annotations"] = new JsonObject { ["kubernetes.io/config.source"] = "file", ["kubernetes.io/config.mirror"] = Guid.NewGuid().ToString("N") },
                ["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["name"] = node, ["controller"] = true }),
            },
            ["spec"] = new JsonObject
            {
                ["nodeName"] = node,
                ["hostNetwork"] = true,
                ["priorityClassName"] = "system-node-critical",
                ["containers"] = new JsonArray(new JsonObject { ["name"] = component, ["image"] = image }),
            },
            ["status"] = new JsonObject
            {
                ["phase"] = "Running",
                ["hostIP"] = address,
                ["podIP"] = address,
                ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = address }),
                ["startTime"] = stamp,
                ["conditions"] = new JsonArray(new JsonObject { ["type"] = "Ready", ["status"] = "True", ["lastTransitionTime"] = stamp }),
                ["containerStatuses"] = new JsonArray(new JsonObject
                {
                    ["name"] = component,
                    ["image"] = image,
                    ["ready"] = true,
                    ["started"] = true,
                    ["restartCount"] = 0,
                    ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = stamp } },
                }),
            },
        };
    }

    private static void AddToken(IClusterApi api, string token, DateTimeOffset now)
    {
        var (id, secret) = (token[..6], token[7..]);
        api.Apply(ClusterObjects.Secret($"bootstrap-token-{id}", "kube-system", "bootstrap.kubernetes.io/token", new Dictionary<string, string>
        {
            ["token-id"] = id,
            ["token-secret"] = secret,
            ["expiration"] = ClusterObjects.Timestamp(now.AddHours(24)),
            ["usage-bootstrap-authentication"] = "true",
            ["usage-bootstrap-signing"] = "true",
            ["auth-extra-groups"] = "system:bootstrappers:kubeadm:default-node-token",
        }));
    }

    private static void AddNode(KubeadmCluster cluster, string nodeName, TartVm vm, bool controlPlane, DateTimeOffset now)
    {
        int index;
        lock (cluster.Sync)
        {
            if (!cluster.Nodes.Contains(nodeName))
            {
                cluster.Nodes.Add(nodeName);
            }

            cluster.NodeVms[nodeName] = vm.Name;
            index = cluster.Nodes.IndexOf(nodeName);
        }

        var podCidr = string.IsNullOrEmpty(cluster.Bootstrap.PodCidr) ? "" : ClusterObjects.PodSubnet(cluster.Bootstrap.PodCidr, index);
        cluster.Api.Apply(ClusterObjects.Node(nodeName, vm.Address ?? "", controlPlane, vm.CpuCount, vm.MemoryMb, cluster.Bootstrap.KubernetesVersion, podCidr, now));
        if (cluster.NetworkReady)
        {
            ClusterObjects.SetNodeReady(cluster.Api, nodeName, "True", now);
        }
    }

    private async Task<int> JoinAsync(CommandCall call, List<string> args)
    {
        var flags = KubeadmFlags.Parse(args, JoinFlags, new HashSet<string> { "control-plane", "discovery-token-unsafe-skip-ca-verification", "dry-run" });
        if (flags.UnknownFlag is { } unknown)
        {
            return UnknownFlag(call, unknown);
        }

        if (flags.Has("control-plane"))
        {
            return call.Fail("error execution phase preflight: \nOne or more conditions for hosting a new control plane instance is not satisfied.\n\nunable to add a new control plane instance to a cluster that doesn't have a stable controlPlaneEndpoint address\n" + KubeadmText.StackTraceHint);
        }

        call.Out.WriteLine("[preflight] Running pre-flight checks");
        if (!call.IsRoot)
        {
            call.Error.WriteLine(KubeadmText.PreflightFailure([("IsPrivilegedUser", "user is not running as root")]));
            return 1;
        }

        var errors = CommonPreflight(call, flags, controlPlane: false);
        lock (call.Guest.Sync)
        {
            if (call.Guest.FileExists("/etc/kubernetes/kubelet.conf"))
            {
                errors.Add(("FileAvailable--etc-kubernetes-kubelet.conf", "/etc/kubernetes/kubelet.conf already exists"));
                errors.Add(("Port-10250", "Port 10250 is in use"));
            }

            if (call.Guest.FileExists($"{ControlPlaneFiles.PkiDir}/ca.crt"))
            {
                errors.Add(("FileAvailable--etc-kubernetes-pki-ca.crt", "/etc/kubernetes/pki/ca.crt already exists"));
            }
        }

        errors = errors.Where(e => !Ignored(flags, e.Check)).ToList();
        if (errors.Count > 0)
        {
            call.Error.WriteLine(KubeadmText.PreflightFailure(errors));
            return 1;
        }

        var endpoint = flags.Positionals.FirstOrDefault();
        if (endpoint is null)
        {
            return call.Fail("error execution phase preflight: couldn't validate the identity of the API Server: discovery: Invalid value: \"\": bootstrapToken or file must be set\n" + KubeadmText.StackTraceHint);
        }

        var vm = call.Shell.Vm;
        var host = endpoint[..(endpoint.LastIndexOf(':') is var colon and > 0 ? colon : endpoint.Length)];
        string? address = host;
        if (!System.Net.IPAddress.TryParse(host, out _))
        {
            lock (call.Guest.Sync)
            {
                address = HostsFile.Resolve(call.Guest.ReadFile("/etc/hosts"), host);
            }

            if (address is null)
            {
                return call.Fail($"error execution phase preflight: couldn't validate the identity of the API Server: failed to request the cluster-info ConfigMap: Get \"https://{endpoint}/api/v1/namespaces/kube-public/configmaps/cluster-info?timeout=10s\": dial tcp: lookup {host} on 127.0.0.53:53: no such host\n{KubeadmText.StackTraceHint}");
            }
        }

        var url = $"https://{endpoint}/api/v1/namespaces/kube-public/configmaps/cluster-info?timeout=10s";
        var durations = call.Shell.Durations;
        if (!call.Shell.Host.CanReach(vm, address))
        {
            // Packets vanish (isolated NAT, or nobody there): kubeadm retries until its discovery timeout.
            await call.Elapse(durations.JoinDiscoveryTimeout);
            return call.Fail($"error execution phase preflight: couldn't validate the identity of the API Server: failed to request the cluster-info ConfigMap: Get \"{url}\": dial tcp {endpoint}: i/o timeout\n{KubeadmText.StackTraceHint}");
        }

        var cluster = clusters.ByServingAddress(address);
        if (cluster is null || !cluster.Api.Availability.Serving)
        {
            await call.Elapse(durations.JoinDiscoveryTimeout);
            return call.Fail($"error execution phase preflight: couldn't validate the identity of the API Server: failed to request the cluster-info ConfigMap: Get \"{url}\": dial tcp {endpoint}: connect: connection refused\n{KubeadmText.StackTraceHint}");
        }

        var token = flags.Get("token") ?? flags.Get("discovery-token") ?? "";
        var tokenId = token.Length == 23 && token[6] == '.' ? token[..6] : null;
        var stored = tokenId is null ? null : cluster.Api.Get("v1", "Secret", "kube-system", $"bootstrap-token-{tokenId}");
        if (stored is null || ClusterObjects.SecretValue(stored, "token-secret") != token[7..])
        {
            return call.Fail($"error execution phase preflight: couldn't validate the identity of the API Server: could not find a JWS signature in the cluster-info ConfigMap for token ID \"{tokenId ?? token}\"\n{KubeadmText.StackTraceHint}");
        }

        var hash = flags.Get("discovery-token-ca-cert-hash");
        if (!flags.Has("discovery-token-unsafe-skip-ca-verification") && hash != cluster.CaHash)
        {
            return call.Fail(hash is null
                ? "error execution phase preflight: couldn't validate the identity of the API Server: discovery: Invalid value: \"\": using token-based discovery without caCertHashes can be unsafe. Set unsafeSkipCAVerification as true in your kubeadm config file or pass --discovery-token-unsafe-skip-ca-verification flag to continue\n" + KubeadmText.StackTraceHint
                : $"error execution phase preflight: couldn't validate the identity of the API Server: cluster CA found in cluster-info ConfigMap is invalid: none of the public keys \"{cluster.CaHash}\" are pinned\n{KubeadmText.StackTraceHint}");
        }

        // Token discovery trusts cluster-info and hands the rest of the join the server it names, not the endpoint given
        // (which may be a load balancer): a cluster-info left naming an old address sends the join there.
        call.Out.WriteLine("[preflight] Reading configuration from the cluster...");
        var clusterInfo = cluster.Api.Get("v1", "ConfigMap", "kube-public", "cluster-info")?["data"]?["kubeconfig"]?.GetValue<string>();
        if (ControlPlaneHealth.ServerAddress(clusterInfo) is { } named && named != cluster.ServingAddress)
        {
            await call.Elapse(TimeSpan.FromSeconds(3));
            return call.Fail($"error execution phase preflight: unable to fetch the kubeadm-config ConfigMap: failed to get config map: Get \"https://{named}:6443/api/v1/namespaces/kube-system/configmaps/kubeadm-config?timeout=10s\": dial tcp {named}:6443: connect: no route to host\n{KubeadmText.StackTraceHint}");
        }

        call.Out.WriteLine("[preflight] FYI: You can look at this config file with 'kubectl -n kube-system get cm kubeadm-config -o yaml'");
        await call.Elapse(durations.KubeadmJoin);
        var nodeName = NodeNameOf(call, flags);
        var now = call.Shell.Clock.Now;
        lock (call.Guest.Sync)
        {
            call.Out.WriteLine("[kubelet-start] Writing kubelet configuration to file \"/var/lib/kubelet/config.yaml\"");
            call.Out.WriteLine("[kubelet-start] Writing kubelet environment file with flags to file \"/var/lib/kubelet/kubeadm-flags.env\"");
            call.Out.WriteLine("[kubelet-start] Starting the kubelet");
            call.Out.WriteLine("[kubelet-check] Waiting for a healthy kubelet at http://127.0.0.1:10248/healthz. This can take up to 4m0s");
            call.Out.WriteLine("[kubelet-check] The kubelet is healthy after 501.893341ms");
            call.Out.WriteLine("[kubelet-start] Waiting for the kubelet to perform the TLS Bootstrap");
            call.Guest.WriteFile("/var/lib/kubelet/config.yaml", "apiVersion: kubelet.config.k8s.io/v1beta1\nkind: KubeletConfiguration\ncgroupDriver: systemd\n");
            call.Guest.WriteFile($"{ControlPlaneFiles.PkiDir}/ca.crt", cluster.CaCertificatePem);
            call.Guest.WriteFile("/etc/kubernetes/kubelet.conf", ControlPlaneFiles.KubeconfigText($"https://{endpoint}", cluster.CaCertificatePem, "default-auth", new CertificatePair("", "")));
            if (call.Guest.Services.GetValueOrDefault("kubelet") is { } kubelet)
            {
                kubelet.Running = true;
            }
        }

        AddNode(cluster, nodeName, vm, controlPlane: false, now);
        call.Out.Write(KubeadmText.JoinSuccess);
        return 0;
    }

    private async Task<int> ResetAsync(CommandCall call, List<string> args)
    {
        var flags = KubeadmFlags.Parse(args, new HashSet<string> { "cri-socket", "ignore-preflight-errors", "v", "cert-dir", "kubeconfig", "skip-phases" }, new HashSet<string> { "force", "cleanup-tmp-dir", "dry-run" });
        if (flags.UnknownFlag is { } unknown)
        {
            return UnknownFlag(call, unknown);
        }

        if (!call.IsRoot)
        {
            call.Out.WriteLine("[preflight] Running pre-flight checks");
            call.Error.WriteLine(KubeadmText.PreflightFailure([("IsPrivilegedUser", "user is not running as root")]));
            return 1;
        }

        if (!flags.Has("force"))
        {
            call.Out.Write("W1126 06:00:00.000000    4242 preflight.go:56] [reset] WARNING: Changes made to this host by 'kubeadm init' or 'kubeadm join' will be reverted.\n[reset] Are you sure you want to proceed? [y/N]: ");
            if (!call.Stdin.TrimStart().StartsWith('y') && !call.Stdin.TrimStart().StartsWith('Y'))
            {
                return call.Fail("error execution phase preflight: won't proceed; the user didn't answer (Y|y) in order to continue\n" + KubeadmText.StackTraceHint);
            }
        }

        call.Out.WriteLine("[preflight] Running pre-flight checks");
        await call.Elapse(call.Shell.Durations.KubeadmReset);
        var vm = call.Shell.Vm;
        if (call.Shell.Host.Faults.Fire(FaultKind.KubeadmResetFails, vm.Name))
        {
            // A pod volume still mounted under the kubelet's directory stops the cleanup-node phase.
            call.Out.WriteLine("[reset] Stopping the kubelet service");
            call.Out.WriteLine("[reset] Unmounting mounted directories in \"/var/lib/kubelet\"");
            return call.Fail("error execution phase cleanup-node: failed to unmount mounted directories in /var/lib/kubelet: " +
                "unmount /var/lib/kubelet/pods/3f1c2a9e-1d2b-4c8e-9a51-7e0f5d2c6b11/volumes/kubernetes.io~projected/kube-api-access-8zq4k: device or resource busy\n" +
                KubeadmText.StackTraceHint);
        }

        if (clusters.ByMaster(vm.Name) is { } cluster)
        {
            // Resetting the only control plane ends the cluster: its API goes away.
            Registry.Remove(cluster.Name);
            clusters.Remove(cluster.Name);
        }
        else if (clusters.ByNodeVm(vm.Name) is { } workerCluster)
        {
            string? node;
            lock (workerCluster.Sync)
            {
                node = workerCluster.NodeVms.FirstOrDefault(n => n.Value == vm.Name).Key;
                if (node is not null)
                {
                    workerCluster.NodeVms.Remove(node);
                }
            }

            if (node is not null && workerCluster.Api.Availability.Serving)
            {
                ClusterObjects.SetNodeReady(workerCluster.Api, node, "Unknown", call.Shell.Clock.Now);
            }
        }

        lock (call.Guest.Sync)
        {
            if (call.Guest.Exists("/var/lib/etcd"))
            {
                call.Out.WriteLine("[reset] Deleted contents of the etcd data directory: /var/lib/etcd");
                call.Guest.DeleteTree("/var/lib/etcd");
                call.Guest.CreateDirectory("/var/lib/etcd");
            }

            call.Out.WriteLine("[reset] Stopping the kubelet service");
            if (call.Guest.Services.GetValueOrDefault("kubelet") is { } kubelet)
            {
                kubelet.Running = false;
            }

            call.Out.WriteLine("[reset] Unmounting mounted directories in \"/var/lib/kubelet\"");
            call.Out.WriteLine("[reset] Deleting contents of directories: [/etc/kubernetes/manifests /var/lib/kubelet /etc/kubernetes/pki]");
            foreach (var dir in new[] { ControlPlaneFiles.ManifestsDir, "/var/lib/kubelet", ControlPlaneFiles.PkiDir })
            {
                if (call.Guest.Exists(dir))
                {
                    call.Guest.DeleteTree(dir);
                    call.Guest.CreateDirectory(dir);
                }
            }

            var confs = new[] { "admin.conf", "super-admin.conf", "kubelet.conf", "bootstrap-kubelet.conf", "controller-manager.conf", "scheduler.conf" };
            call.Out.WriteLine($"[reset] Deleting files: [{string.Join(' ', confs.Select(c => "/etc/kubernetes/" + c))}]");
            foreach (var conf in confs)
            {
                call.Guest.DeleteFile("/etc/kubernetes/" + conf);
            }
        }

        call.Out.Write(KubeadmText.ResetNotice);
        return 0;
    }

    private async Task<int> TokenAsync(CommandCall call, List<string> args)
    {
        if (args.FirstOrDefault() != "create")
        {
            return call.Fail($"the LabNet guest's kubeadm token supports 'create' only, not '{args.FirstOrDefault()}'");
        }

        var flags = KubeadmFlags.Parse(args.Skip(1), new HashSet<string> { "ttl", "kubeconfig", "v", "description", "groups", "usages", "certificate-key", "config" }, new HashSet<string> { "print-join-command", "dry-run" });
        if (flags.UnknownFlag is { } unknown)
        {
            return UnknownFlag(call, unknown);
        }

        var kubeconfig = flags.Get("kubeconfig") ?? "/etc/kubernetes/admin.conf";
        lock (call.Guest.Sync)
        {
            if (!call.Guest.FileExists(kubeconfig))
            {
                return call.Fail($"failed to load admin kubeconfig: open {kubeconfig}: no such file or directory\n{KubeadmText.StackTraceHint}");
            }

            if (!call.Shell.CanRead(kubeconfig))
            {
                return call.Fail($"failed to load admin kubeconfig: open {kubeconfig}: permission denied\n{KubeadmText.StackTraceHint}");
            }
        }

        var cluster = clusters.ByMaster(call.Shell.Vm.Name);
        if (cluster is null || !cluster.Api.Availability.Serving)
        {
            await call.Elapse(TimeSpan.FromSeconds(30));
            var reason = cluster?.Api.Availability.Reason ?? "connect: connection refused";
            return call.Fail($"failed to create or update bootstrap token with name bootstrap-token-{call.Shell.Host.Random.Token(6)}: unable to create Secret: Post \"https://{call.Shell.Vm.Address}:6443/api/v1/namespaces/kube-system/secrets?timeout=10s\": {reason}\n{KubeadmText.StackTraceHint}");
        }

        var token = flags.Positionals.FirstOrDefault() ?? NewToken(call);
        AddToken(cluster.Api, token, call.Shell.Clock.Now);
        call.Out.WriteLine(flags.Has("print-join-command")
            ? $"kubeadm join {cluster.ControlPlaneEndpoint ?? cluster.ServingAddress + ":6443"} --token {token} --discovery-token-ca-cert-hash {cluster.CaHash} "
            : token);
        return 0;
    }

    private async Task<int> PhaseAsync(CommandCall call, List<string> args)
    {
        if (args.Count == 0 || args[0] is not ("certs" or "kubeconfig"))
        {
            return call.Fail($"the LabNet guest's kubeadm runs the init phases certs and kubeconfig, not \"{args.FirstOrDefault()}\"\n{KubeadmText.StackTraceHint}");
        }

        var group = args[0];
        var phase = args.Count > 1 && !args[1].StartsWith('-') ? args[1] : "all";
        var flags = KubeadmFlags.Parse(args.Skip(phase == "all" && (args.Count < 2 || args[1].StartsWith('-')) ? 1 : 2), InitFlags, InitBooleans);
        if (flags.UnknownFlag is { } unknown)
        {
            return UnknownFlag(call, unknown);
        }

        if (!call.IsRoot)
        {
            return call.Fail($"error execution phase {group}/{phase}: user is not running as root\n{KubeadmText.StackTraceHint}");
        }

        var vm = call.Shell.Vm;
        var cluster = clusters.ByMaster(vm.Name);
        var nodeName = NodeNameOf(call, flags);
        var advertise = flags.Get("apiserver-advertise-address") ?? vm.Address ?? "";
        // Without --config, a phase uses kubeadm's defaults, not the cluster's settings.
        var spec = new ControlPlaneSpec(
            nodeName,
            advertise,
            flags.Get("service-cidr") ?? "10.96.0.0/12",
            flags.Get("pod-network-cidr") ?? "",
            VersionOf(call),
            (flags.Get("apiserver-cert-extra-sans") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        await call.Elapse(call.Shell.Durations.KubeadmPhase);
        var now = call.Shell.Clock.Now;
        lock (call.Guest.Sync)
        {
            var phases = phase == "all" ? (group == "certs" ? ControlPlaneFiles.CertificatePhases : ControlPlaneFiles.KubeconfigPhases) : [phase];
            foreach (var one in phases)
            {
                string? error;
                if (group == "certs")
                {
                    if (!ControlPlaneFiles.CertificatePhases.Contains(one))
                    {
                        return call.Fail($"error: unknown command \"{one}\" for \"kubeadm init phase certs\"");
                    }

                    error = ControlPlaneFiles.Certificate(call.Guest, one, spec, now, call.Out);
                }
                else
                {
                    if (!ControlPlaneFiles.KubeconfigPhases.Contains(one))
                    {
                        return call.Fail($"error: unknown command \"{one}\" for \"kubeadm init phase kubeconfig\"");
                    }

                    var server = one == "admin" && cluster is not null ? cluster.Api.Server.ToString().TrimEnd('/') : $"https://{advertise}:6443";
                    error = ControlPlaneFiles.Kubeconfig(call.Guest, one, nodeName, server, now, call.Out);
                }

                if (error is not null)
                {
                    return call.Fail($"error execution phase {group}/{one}: {error}\n{KubeadmText.StackTraceHint}");
                }
            }
        }

        return 0;
    }
}
