using LabNet.Simulator.Clock;
using LabNet.Simulator.Guest.Commands;
using LabNet.Simulator.Host;
using LabNet.Simulator.Kubernetes;
using Microsoft.Extensions.Options;

namespace LabNet.Simulator.Kubeadm;

/// <summary>
/// The kubelets of the lab's nodes: when a control plane boots or its kubelet restarts, its static pods come up (or
/// crash-loop) from what is on its disk; when it stops, its API stops answering. Workers report Ready only while their
/// kubelet.conf names the address the API server serves on.
/// </summary>
public sealed class ControlPlaneMonitor(
    KubeadmClusters clusters,
    ClusterApiRegistryAccessor registry,
    MacHost host,
    SimulationClock clock,
    IOptions<ModeledDurations> durations,
    IEnumerable<IControlPlaneObserver> observers,
    ILogger<ControlPlaneMonitor> logger) : IVmLifecycleObserver, IGuestServiceObserver
{
    public async Task OnBootedAsync(TartVm vm, CancellationToken cancellationToken)
    {
        if (clusters.ByNodeVm(vm.Name) is null)
        {
            return;
        }

        bool kubeletEnabled;
        lock (vm.Guest.Sync)
        {
            kubeletEnabled = vm.Guest.Services.GetValueOrDefault("kubelet")?.Enabled == true;
        }

        if (kubeletEnabled)
        {
            await KubeletStartedAsync(vm, cancellationToken);
        }
    }

    public void OnStopped(TartVm vm)
    {
        if (clusters.ByMaster(vm.Name) is { } cluster)
        {
            var old = cluster.ServingAddress;
            cluster.ServingAddress = null;
            SetAvailability(cluster, ApiServerAvailability.Down($"dial tcp {old}:6443: connect: no route to host (the control plane VM {vm.Name} is stopped)"));
            return;
        }

        if (clusters.ByNodeVm(vm.Name) is { } workerCluster && NodeOf(workerCluster, vm) is { } node && workerCluster.Api.Availability.Serving)
        {
            ClusterObjects.SetNodeReady(workerCluster.Api, node, "Unknown", clock.Now);
        }
    }

    public void OnDeleted(TartVm vm)
    {
        // A cluster whose only control plane's disk is gone is gone; a deleted worker leaves its Node behind, NotReady.
        if (clusters.ByMaster(vm.Name) is { } cluster)
        {
            registry.Registry.Remove(cluster.Name);
            clusters.Remove(cluster.Name);
            logger.LogInformation("Cluster {Cluster} is gone with its control plane VM {Vm}", cluster.Name, vm.Name);
            return;
        }

        if (clusters.ByNodeVm(vm.Name) is { } workerCluster)
        {
            lock (workerCluster.Sync)
            {
                foreach (var node in workerCluster.NodeVms.Where(n => n.Value == vm.Name).Select(n => n.Key).ToList())
                {
                    workerCluster.NodeVms.Remove(node);
                }
            }
        }
    }

    public async Task OnServiceChangedAsync(TartVm vm, string service, bool running, CancellationToken cancellationToken)
    {
        // Stopping the kubelet leaves the static pods running; starting it makes it (re)create them from the manifests.
        if (service == "kubelet" && running && clusters.ByNodeVm(vm.Name) is not null)
        {
            await KubeletStartedAsync(vm, cancellationToken);
        }
    }

    private async Task KubeletStartedAsync(TartVm vm, CancellationToken cancellationToken)
    {
        // failSwapOn (the default kubeadm keeps): a kubelet that finds swap on exits at once, and systemd restarts it
        // in vain. A boot brings back every swap line of /etc/fstab that is not commented out.
        bool swapOn;
        lock (vm.Guest.Sync)
        {
            swapOn = vm.Guest.SwapOn;
            if (swapOn && vm.Guest.Services.GetValueOrDefault("kubelet") is { } kubelet)
            {
                kubelet.Running = false;
            }
        }

        if (swapOn)
        {
            const string Refused = "failed to run Kubelet: running with swap on is not supported, please disable swap or set --fail-swap-on flag to false";
            logger.LogInformation("kubelet on {Vm}: {Error}", vm.Name, Refused);
            if (clusters.ByMaster(vm.Name) is { } master)
            {
                master.ServingAddress = null;
                SetAvailability(master, ApiServerAvailability.Down($"dial tcp {vm.Address}:6443: connect: connection refused (the kubelet is not running: {Refused})"));
            }
            else if (clusters.ByNodeVm(vm.Name) is { } workers)
            {
                ReconcileWorker(workers, vm);
            }

            return;
        }

        if (clusters.ByMaster(vm.Name) is { } cluster)
        {
            await clock.Elapse(durations.Value.ControlPlaneRestart, cancellationToken);
            ReconcileControlPlane(cluster, vm);
            return;
        }

        if (clusters.ByNodeVm(vm.Name) is { } workerCluster)
        {
            ReconcileWorker(workerCluster, vm);
        }
    }

    public void ReconcileControlPlane(KubeadmCluster cluster, TartVm vm)
    {
        ApiServerAvailability availability;
        lock (vm.Guest.Sync)
        {
            availability = ControlPlaneHealth.Evaluate(vm.Guest, vm.Address);
        }

        if (!availability.Serving)
        {
            cluster.ServingAddress = null;
            SetAvailability(cluster, availability);
            return;
        }

        cluster.ServingAddress = vm.Address;
        SetAvailability(cluster, availability);
        foreach (var observer in observers)
        {
            observer.OnServing(cluster, vm.Address!);
        }

        ClusterObjects.SetNodeReady(cluster.Api, cluster.Bootstrap.ControlPlaneNode, cluster.NetworkReady ? "True" : "False", clock.Now, vm.Address);
        foreach (var (_, workerVm) in cluster.NodeVms.Where(n => n.Value != vm.Name).ToList())
        {
            if (host.FindVm(workerVm) is { } worker)
            {
                ReconcileWorker(cluster, worker);
            }
        }
    }

    public void ReconcileWorker(KubeadmCluster cluster, TartVm vm)
    {
        if (NodeOf(cluster, vm) is not { } node || !cluster.Api.Availability.Serving)
        {
            return;
        }

        string? server;
        bool kubeletRunning;
        lock (vm.Guest.Sync)
        {
            server = ControlPlaneHealth.ServerAddress(vm.Guest.ReadFile("/etc/kubernetes/kubelet.conf"));
            kubeletRunning = vm.Guest.Services.GetValueOrDefault("kubelet")?.Running == true;
        }

        var reaches = vm.State is VmState.Running && kubeletRunning && server is not null && server == cluster.ServingAddress;
        ClusterObjects.SetNodeReady(cluster.Api, node, !reaches ? "Unknown" : cluster.NetworkReady ? "True" : "False", clock.Now, reaches ? vm.Address : null);
    }

    private static string? NodeOf(KubeadmCluster cluster, TartVm vm)
    {
        lock (cluster.Sync)
        {
            return cluster.NodeVms.FirstOrDefault(n => n.Value == vm.Name).Key;
        }
    }

    private void SetAvailability(KubeadmCluster cluster, ApiServerAvailability availability)
    {
        if (cluster.Api.Availability != availability)
        {
            logger.LogInformation("Cluster {Cluster} API server: {State}", cluster.Name, availability.Serving ? "serving" : availability.Reason);
        }

        cluster.Api.Availability = availability;
    }
}
