using LabNet.Simulator.Faults;
using LabNet.Simulator.Guest.Commands;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Kubeadm;

/// <summary><c>kubeadm init</c>: preflight, certificates, kubeconfigs, static pods, the cluster's API on the simulator, the join line.</summary>
internal sealed class KubeadmInit(ClusterApiRegistryAccessor registryAccessor, KubeadmClusters clusters, ILogger logger) : KubeadmVerb(registryAccessor, clusters)
{
    public static readonly HashSet<string> InitFlags =
    [
        "pod-network-cidr", "service-cidr", "skip-phases", "apiserver-advertise-address", "apiserver-bind-port", "node-name",
        "kubernetes-version", "ignore-preflight-errors", "control-plane-endpoint", "token", "token-ttl", "apiserver-cert-extra-sans",
        "cri-socket", "config", "v", "certificate-key", "service-dns-domain", "image-repository", "cert-dir", "kubeconfig", "rootfs",
    ];

    public static readonly HashSet<string> InitBooleans = ["upload-certs", "dry-run", "skip-token-print", "skip-certificate-key-print", "force", "print-join-command"];

    public override async Task<int> RunAsync(CommandCall call, List<string> args)
    {
        if (KubeadmPreflight.Flags(call, args, InitFlags, InitBooleans) is not { } flags)
        {
            return 1;
        }

        var vm = call.Vm;
        var version = flags.Get("kubernetes-version") ?? KubeadmPreflight.VersionOf(call);
        call.Out.WriteLine($"[init] Using Kubernetes version: {version}");
        var ready = KubeadmPreflight.Run(call, flags, controlPlane: true, errors =>
        {
            if (Clusters.ByMaster(vm.Name) is not null || call.Guest.FileExists($"{ControlPlaneFiles.ManifestsDir}/kube-apiserver.yaml"))
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
        });
        if (!ready)
        {
            return 1;
        }

        var nodeName = KubeadmPreflight.NodeNameOf(call, flags);
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
        var durations = call.Durations;

        call.Out.WriteLine("[preflight] Pulling images required for setting up a Kubernetes cluster");
        call.Out.WriteLine("[preflight] This might take a minute or two, depending on the speed of your internet connection");
        call.Out.WriteLine("[preflight] You can also perform this action beforehand using 'kubeadm config images pull'");
        await call.Elapse(durations.KubeadmInit / 2);

        var now = call.Clock.Now;
        lock (call.Guest.Sync)
        {
            call.Out.WriteLine($"[certs] Using certificateDir folder \"{ControlPlaneFiles.PkiDir}\"");
            foreach (var phase in ControlPlaneFiles.CertificatePhases)
            {
                ControlPlaneFiles.Certificate(call.Guest, phase, spec, now, call.Out);
            }
        }

        // The cluster's API appears on the simulator; admin.conf names it.
        var bootstrap = new ClusterBootstrap(KubeadmCommand.ClusterNameOf(nodeName), podCidr, serviceCidr, version, nodeName, advertise);
        if (Registry.Find(bootstrap.Name) is not null)
        {
            logger.LogWarning("Cluster {Cluster} existed without a control plane that knew it; replacing it", bootstrap.Name);
            Registry.Remove(bootstrap.Name);
            Clusters.Remove(bootstrap.Name);
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

        var kubeletFails = call.Guest.SwapOn || call.Mac.Faults.Fire(FaultKind.KubeadmInitFails, vm.Name);
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
        var token = flags.Get("token") ?? ClusterRegistration.NewToken(call);
        ClusterRegistration.RegisterClusterObjects(cluster, call, token, now, kubeProxy: !skipped.Any(s => s is "addon/kube-proxy" or "addon/*" or "addon"));
        Clusters.Add(cluster);

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
}
