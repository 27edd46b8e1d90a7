using System.Text.Json.Nodes;
using LabNet.Yaml;
using LabNet.Simulator.Guest;
using LabNet.Simulator.Guest.Commands;
using LabNet.Simulator.Kubernetes;
using LabNet.Simulator.Host;

namespace LabNet.Simulator.Kubeadm;

/// <summary>
/// What kubeadm writes into a new cluster and for each node: the control plane's static pods, kube-proxy and CoreDNS,
/// bootstrap tokens, the kubeadm and kubelet ConfigMaps, Node objects.
/// </summary>
internal static class ClusterRegistration
{
    public static string NewToken(CommandCall call) => $"{call.Mac.Random.Token(6)}.{call.Mac.Random.Token(16)}";

    public static void RegisterClusterObjects(KubeadmCluster cluster, CommandCall call, string token, DateTimeOffset now, bool kubeProxy)
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

        AddNode(cluster, bootstrap.ControlPlaneNode, call.Vm, controlPlane: true, now);

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
            string? manifest;
            lock (call.Guest.Sync)
            {
                manifest = call.Guest.ReadFile($"{ControlPlaneFiles.ManifestsDir}/{component}.yaml");
            }

            if (manifest is not null && YamlToJson.Parse(manifest) is JsonObject pod)
            {
                api.Apply(MirrorPod(pod, manifest, bootstrap.ControlPlaneNode, bootstrap.AdvertiseAddress, now));
            }
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
                        // CoreDNS resolves through the node's resolver (it is the cluster's DNS, not a client of it).
                        ["dnsPolicy"] = "Default",
                        ["tolerations"] = new JsonArray(new JsonObject { ["key"] = "CriticalAddonsOnly", ["operator"] = "Exists" }, new JsonObject { ["key"] = "node-role.kubernetes.io/control-plane", ["effect"] = "NoSchedule" }),
                        ["containers"] = new JsonArray(new JsonObject
                        {
                            ["name"] = "coredns",
                            ["image"] = "registry.k8s.io/coredns/coredns:v1.11.3",
                            ["args"] = new JsonArray("-conf", "/etc/coredns/Corefile"),
                            // kubeadm's probes: the health plugin on 8080, the ready plugin on 8181.
                            ["livenessProbe"] = new JsonObject
                            {
                                ["httpGet"] = new JsonObject { ["path"] = "/health", ["port"] = 8080, ["scheme"] = "HTTP" },
                                ["initialDelaySeconds"] = 60,
                                ["timeoutSeconds"] = 5,
                                ["successThreshold"] = 1,
                                ["failureThreshold"] = 5,
                            },
                            ["readinessProbe"] = new JsonObject
                            {
                                ["httpGet"] = new JsonObject { ["path"] = "/ready", ["port"] = 8181, ["scheme"] = "HTTP" },
                            },
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
    /// <summary>
    /// The mirror pod the kubelet posts for a static pod manifest: the manifest's pod, named after the node, owned by the
    /// Node, with the kubelet's config annotations; its status is the kubelet's (running since <paramref name="now"/>).
    /// </summary>
    public static JsonObject MirrorPod(JsonObject manifest, string manifestText, string node, string address, DateTimeOffset now)
    {
        var stamp = ClusterObjects.Timestamp(now);
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(manifestText)))[..32];
        var pod = (JsonObject)manifest.DeepClone();
        var metadata = pod["metadata"] as JsonObject ?? (JsonObject)(pod["metadata"] = new JsonObject());
        var component = metadata["name"]?.GetValue<string>() ?? "";
        metadata["name"] = $"{component}-{node}";
        metadata["namespace"] ??= "kube-system";
        var annotations = metadata["annotations"] as JsonObject ?? (JsonObject)(metadata["annotations"] = new JsonObject());
        annotations["kubernetes.io/config.hash"] = hash;
        annotations["kubernetes.io/config.mirror"] = hash;
        annotations["kubernetes.io/config.seen"] = stamp;
        annotations["kubernetes.io/config.source"] = "file";
        metadata["ownerReferences"] = new JsonArray(new JsonObject { ["apiVersion"] = "v1", ["kind"] = "Node", ["name"] = node, ["controller"] = true });
        var spec = (JsonObject)pod["spec"]!;
        spec["nodeName"] = node;
        var containers = (spec["containers"] as JsonArray ?? []).OfType<JsonObject>().ToList();
        pod["status"] = new JsonObject
        {
            ["phase"] = "Running",
            ["hostIP"] = address,
            ["podIP"] = address,
            ["podIPs"] = new JsonArray(new JsonObject { ["ip"] = address }),
            ["startTime"] = stamp,
            ["qosClass"] = "Burstable",
            ["conditions"] = new JsonArray(
                [.. new[] { "PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled" }
                    .Select(type => new JsonObject { ["type"] = type, ["status"] = "True", ["lastProbeTime"] = null, ["lastTransitionTime"] = stamp })]),
            ["containerStatuses"] = new JsonArray([.. containers.Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c["name"]?.DeepClone(),
                ["image"] = c["image"]?.DeepClone(),
                ["imageID"] = $"{c["image"]?.GetValue<string>().Split(':')[0]}@sha256:{hash}{hash}",
                ["containerID"] = $"containerd://{hash}{hash}",
                ["ready"] = true,
                ["started"] = true,
                ["restartCount"] = 0,
                ["lastState"] = new JsonObject(),
                ["state"] = new JsonObject { ["running"] = new JsonObject { ["startedAt"] = stamp } },
            })]),
        };
        return pod;
    }

    public static void AddToken(IClusterApi api, string token, DateTimeOffset now)
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
    public static void AddNode(KubeadmCluster cluster, string nodeName, TartVm vm, bool controlPlane, DateTimeOffset now)
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
}
