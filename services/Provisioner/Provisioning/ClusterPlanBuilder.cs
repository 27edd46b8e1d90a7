using LabNet.Provisioner.Kubernetes;
using LabNet.Provisioner.Provisioning.Steps;
using LabNet.Provisioner.Spec;
using Microsoft.Extensions.Options;

namespace LabNet.Provisioner.Provisioning;

/// <summary>
/// The phases of one cluster, in the order the original lab's install.sh runs them, with the nodes of a phase in
/// parallel where the original went one by one.
/// </summary>
public sealed class ClusterPlanBuilder(IOptions<LabOptions> options, ImagePulls imagePulls, RunningVms runningVms, ManifestApplier manifestApplier)
{
    public ClusterPlan Build(LabSpec lab, ClusterSpec cluster)
    {
        var name = cluster.Name;
        var master = cluster.Master.Name;
        var workers = cluster.Workers.Select(w => w.Name).ToList();
        var manifests = Path.GetFullPath(options.Value.ManifestsDirectory);
        var minor = options.Value.KubernetesMinorVersion;

        return new ClusterPlan(cluster,
        [
            Phase("image", new StepSequence(null, [new ImagePullStep(name, lab.BaseImage, imagePulls)])),
            Phase("vms", cluster.Nodes.Select(node => new StepSequence(node.Name,
            [
                new VmCloneStep(name, node.Name, lab.BaseImage),
                new VmSizeStep(name, node),
                new VmStartStep(name, node.Name, runningVms),
                new VmAddressStep(name, node.Name),
                new SshReadyStep(name, node.Name),
            ])).ToArray()),
            Phase("network", workers.Select(worker => new StepSequence(worker, [new ConnectivityProbeStep(name, worker, master)])).ToArray()),
            Phase("node-preparation", cluster.Nodes.Select(node => new StepSequence(node.Name,
            [
                new NodeScriptStep(name, node.Name, "node.prepare", $"prepare {node.Name} (swap off, kernel modules, sysctl, hostname)",
                    TimeSpan.FromSeconds(15), NodeScripts.Prepare(node.Name)),
                new NodeScriptStep(name, node.Name, "node.runtime", $"install containerd on {node.Name}",
                    TimeSpan.FromSeconds(75), NodeScripts.ContainerRuntime),
                new NodeScriptStep(name, node.Name, "node.kubernetes", $"install kubelet, kubeadm, kubectl {minor} on {node.Name}",
                    TimeSpan.FromSeconds(60), NodeScripts.KubernetesPackages(minor)),
            ])).ToArray()),
            Phase("control-plane", new StepSequence(master, [new ControlPlaneAddressStep(cluster), new KubeadmInitStep(cluster), new KubeconfigStep(name, master), new ClusterInfoStep(name, master)])),
            Phase("workers", workers.Select(worker => new StepSequence(worker, [new KubeadmJoinStep(name, worker, master)])).ToArray()),
            Phase("cni", new StepSequence(null,
            [
                new CiliumInstallStep(name, master, cluster.PodCidr, manifests),
                new HubbleEnableStep(name, manifests),
                new NodesReadyStep(name, cluster.Nodes.Select(n => n.Name).ToList()),
            ])),
            Phase("workloads", new StepSequence(null, Workloads(name, manifests))),
        ]);
    }

    private IReadOnlyList<IProvisioningStep> Workloads(string cluster, string manifests) =>
        options.Value.Workloads.TryGetValue(cluster, out var entries)
            ? entries.Select(entry => entry switch
            {
                "helm:istio" => new IstioInstallStep(cluster, manifests),
                "helm:metrics-server" => new MetricsServerInstallStep(cluster),
                _ => (IProvisioningStep)new ManifestsStep(cluster, entry, manifests, manifestApplier),
            }).ToList()
            : [];

    private static ProvisioningPhase Phase(string name, params StepSequence[] sequences) => new(name, sequences);
}
