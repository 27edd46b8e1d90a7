using LabNet.Simulator.Faults;
using LabNet.Simulator.Guest;
using LabNet.Simulator.Guest.Commands;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Kubeadm;

/// <summary><c>kubeadm reset</c>: the node leaves; on the control plane, the cluster's API goes with it.</summary>
internal sealed class KubeadmReset(ClusterApiRegistryAccessor registryAccessor, KubeadmClusters clusters) : KubeadmVerb(registryAccessor, clusters)
{
    public override async Task<int> RunAsync(CommandCall call, List<string> args)
    {
        if (KubeadmPreflight.Flags(call, args, new HashSet<string> { "cri-socket", "ignore-preflight-errors", "v", "cert-dir", "kubeconfig", "skip-phases" }, new HashSet<string> { "force", "cleanup-tmp-dir", "dry-run" }) is not { } flags)
        {
            return 1;
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
        await call.Elapse(call.Durations.KubeadmReset);
        var vm = call.Vm;
        if (call.Mac.Faults.Fire(FaultKind.KubeadmResetFails, vm.Name))
        {
            // A pod volume still mounted under the kubelet's directory stops the cleanup-node phase.
            call.Out.WriteLine("[reset] Stopping the kubelet service");
            call.Out.WriteLine("[reset] Unmounting mounted directories in \"/var/lib/kubelet\"");
            return call.Fail("error execution phase cleanup-node: failed to unmount mounted directories in /var/lib/kubelet: " +
                "unmount /var/lib/kubelet/pods/3f1c2a9e-1d2b-4c8e-9a51-7e0f5d2c6b11/volumes/kubernetes.io~projected/kube-api-access-8zq4k: device or resource busy\n" +
                KubeadmText.StackTraceHint);
        }

        if (Clusters.ByMaster(vm.Name) is { } cluster)
        {
            // Resetting the only control plane ends the cluster: its API goes away.
            Registry.Remove(cluster.Name);
            Clusters.Remove(cluster.Name);
        }
        else if (Clusters.ByNodeVm(vm.Name) is { } workerCluster)
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
                ClusterObjects.SetNodeReady(workerCluster.Api, node, "Unknown", call.Clock.Now);
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
}
