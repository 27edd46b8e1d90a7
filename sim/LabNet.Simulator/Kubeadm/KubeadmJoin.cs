using LabNet.Simulator.Faults;
using LabNet.Simulator.Guest;
using LabNet.Simulator.Guest.Commands;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Kubeadm;

/// <summary><c>kubeadm join</c>: preflight, discovery over the lab network (token and CA hash), the node's kubelet and Node object.</summary>
internal sealed class KubeadmJoin(ClusterApiRegistryAccessor registryAccessor, KubeadmClusters clusters) : KubeadmVerb(registryAccessor, clusters)
{
    private static readonly HashSet<string> JoinFlags =
    [
        "token", "discovery-token-ca-cert-hash", "node-name", "ignore-preflight-errors", "cri-socket", "discovery-token", "tls-bootstrap-token",
        "v", "certificate-key", "apiserver-advertise-address", "config", "discovery-file", "skip-phases",
    ];

    public override async Task<int> RunAsync(CommandCall call, List<string> args)
    {
        if (KubeadmPreflight.Flags(call, args, JoinFlags, new HashSet<string> { "control-plane", "discovery-token-unsafe-skip-ca-verification", "dry-run" }) is not { } flags)
        {
            return 1;
        }

        if (flags.Has("control-plane"))
        {
            return call.Fail("error execution phase preflight: \nOne or more conditions for hosting a new control plane instance is not satisfied.\n\nunable to add a new control plane instance to a cluster that doesn't have a stable controlPlaneEndpoint address\n" + KubeadmText.StackTraceHint);
        }

        var ready = KubeadmPreflight.Run(call, flags, controlPlane: false, errors =>
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
        });
        if (!ready)
        {
            return 1;
        }

        var endpoint = flags.Positionals.FirstOrDefault();
        if (endpoint is null)
        {
            return call.Fail("error execution phase preflight: couldn't validate the identity of the API Server: discovery: Invalid value: \"\": bootstrapToken or file must be set\n" + KubeadmText.StackTraceHint);
        }

        var vm = call.Vm;
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
        var durations = call.Durations;
        if (!call.Mac.CanReach(vm, address))
        {
            // Packets vanish (isolated NAT, or nobody there): kubeadm retries until its discovery timeout.
            await call.Elapse(durations.JoinDiscoveryTimeout);
            return call.Fail($"error execution phase preflight: couldn't validate the identity of the API Server: failed to request the cluster-info ConfigMap: Get \"{url}\": dial tcp {endpoint}: i/o timeout\n{KubeadmText.StackTraceHint}");
        }

        var cluster = Clusters.ByServingAddress(address);
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
        var nodeName = KubeadmPreflight.NodeNameOf(call, flags);
        var now = call.Clock.Now;
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

        ClusterRegistration.AddNode(cluster, nodeName, vm, controlPlane: false, now);
        call.Out.Write(KubeadmText.JoinSuccess);
        return 0;
    }
}
