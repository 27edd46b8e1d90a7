using System.Text.Json.Nodes;
using System.Threading.Channels;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// The control loops a kubeadm cluster runs in kube-controller-manager, kube-scheduler and the kubelets, as far as the
/// lab needs them: deployments -> ReplicaSets -> pods, scheduling, pod sandboxes through the cluster's CNI, endpoints,
/// and each namespace's <c>default</c> ServiceAccount. One worker per cluster handles work items in order, so the
/// seeded names come out the same on every run.
/// </summary>
internal sealed class ClusterControllers(ClusterApi cluster, ILogger logger) : IDisposable
{
    private readonly Channel<WorkItem> _work = Channel.CreateUnbounded<WorkItem>(new UnboundedChannelOptions { SingleReader = true });
    private static readonly TimeSpan NamespaceTerminationDelay = TimeSpan.FromMilliseconds(500);
    private readonly CancellationTokenSource _stop = new();
    private StoreWatcher? _watcher;

    private ResourceType Type(string group, string plural) => cluster.Catalog.FindByPlural(group, "v1", plural)!;

    public void Start()
    {
        _watcher = cluster.Store.Watch(null, null, _ => true, cluster.Store.ResourceVersion);
        _ = Task.Run(PumpAsync);
        _ = Task.Run(RunAsync);
    }

    public void PodNetworkChanged() => _work.Writer.TryWrite(new WorkItem("AllPods", null, null));

    private async Task PumpAsync()
    {
        try
        {
            await foreach (var change in _watcher!.Events.ReadAllAsync(_stop.Token))
            {
                foreach (var item in WorkFor(change))
                {
                    _work.Writer.TryWrite(item);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static IEnumerable<WorkItem> WorkFor(WatchEvent change)
    {
        var metadata = change.Object["metadata"]!;
        var ns = metadata["namespace"]?.GetValue<string>();
        var name = metadata["name"]!.GetValue<string>();
        var owner = metadata["ownerReferences"] is JsonArray refs ? refs.OfType<JsonObject>().FirstOrDefault(r => r["controller"]?.GetValue<bool>() == true) : null;
        switch (change.StorageKey)
        {
            case "deployments.apps":
                yield return new WorkItem("Deployment", ns, name);
                break;
            case "daemonsets.apps":
                yield return new WorkItem("DaemonSet", ns, name);
                break;
            case "replicasets.apps":
                yield return new WorkItem("ReplicaSet", ns, name);
                if (owner?["kind"]?.GetValue<string>() == "Deployment")
                {
                    yield return new WorkItem("Deployment", ns, owner["name"]!.GetValue<string>());
                }

                break;
            case "pods.":
                if (change.Type != "DELETED")
                {
                    yield return new WorkItem("Pod", ns, name);
                }

                if (owner?["kind"]?.GetValue<string>() is "ReplicaSet" or "DaemonSet")
                {
                    yield return new WorkItem(owner["kind"]!.GetValue<string>(), ns, owner["name"]!.GetValue<string>());
                }

                yield return new WorkItem("Endpoints", ns, null);
                break;
            case "nodes." when change.Type == "DELETED":
                yield return new WorkItem("NodeGone", null, name);
                yield return new WorkItem("AllDaemonSets", null, null);
                break;
            case "nodes.":
                yield return new WorkItem("AllDaemonSets", null, null);
                yield return new WorkItem("AllPods", null, null);
                break;
            case "services.":
                yield return change.Type == "DELETED" ? new WorkItem("DeleteEndpoints", ns, name) : new WorkItem("Endpoints", ns, null);
                break;
            case "namespaces." when change.Type != "DELETED" && metadata["deletionTimestamp"] is not null:
                yield return new WorkItem("TerminateNamespace", null, name);
                break;
            case "namespaces." when change.Type != "DELETED":
                yield return new WorkItem("Namespace", null, name);
                break;
        }
    }

    private async Task RunAsync()
    {
        var batch = new List<WorkItem>();
        try
        {
            while (await _work.Reader.WaitToReadAsync(_stop.Token))
            {
                batch.Clear();
                while (_work.Reader.TryRead(out var item))
                {
                    if (!batch.Contains(item))
                    {
                        batch.Add(item);
                    }
                }

                foreach (var item in batch)
                {
                    try
                    {
                        Handle(item);
                    }
                    catch (Exception e) when (e is not OperationCanceledException)
                    {
                        logger.LogWarning(e, "Controller work {Kind} {Namespace}/{Name} in cluster {Cluster} failed", item.Kind, item.Namespace, item.Name, cluster.Bootstrap.Name);
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void Handle(WorkItem item)
    {
        switch (item.Kind)
        {
            case "Deployment":
                new DeploymentController(cluster).Reconcile(item.Namespace!, item.Name!);
                break;
            case "ReplicaSet":
                new ReplicaSetController(cluster).Reconcile(item.Namespace!, item.Name!);
                break;
            case "DaemonSet":
                new DaemonSetController(cluster).Reconcile(item.Namespace!, item.Name!);
                break;
            case "AllDaemonSets":
                foreach (var daemonSet in cluster.Store.List(cluster.Catalog.FindByPlural("apps", "v1", "daemonsets")!.StorageKey, null).Items)
                {
                    new DaemonSetController(cluster).Reconcile(ObjectFacts.Namespace(daemonSet)!, ObjectFacts.Name(daemonSet));
                }

                break;
            case "Pod":
                new PodLifecycle(cluster).Reconcile(item.Namespace!, item.Name!);
                break;
            case "AllPods":
                foreach (var pod in cluster.Store.List(Type("", "pods").StorageKey, null).Items
                    .Where(p => p["status"]?["phase"]?.GetValue<string>() == "Pending"))
                {
                    new PodLifecycle(cluster).Reconcile(pod["metadata"]!["namespace"]!.GetValue<string>(), pod["metadata"]!["name"]!.GetValue<string>());
                }

                break;
            case "NodeGone":
                // The pod garbage collector: pods bound to a node that no longer exists are deleted (their owners replace them).
                var pods = Type("", "pods");
                foreach (var pod in cluster.Store.List(pods.StorageKey, null, p => p["spec"]?["nodeName"]?.GetValue<string>() == item.Name).Items)
                {
                    cluster.DeleteTrusted(pods, ObjectFacts.Namespace(pod), ObjectFacts.Name(pod));
                }

                break;
            case "Endpoints":
                new EndpointsController(cluster).Reconcile(item.Namespace!);
                break;
            case "DeleteEndpoints":
                cluster.DeleteTrusted(Type("", "endpoints"), item.Namespace, item.Name!);
                break;
            case "Namespace":
                EnsureDefaultServiceAccount(item.Name!);
                break;
            case "TerminateNamespace":
                // The namespace controller takes a moment to empty a namespace; kubectl delete waits for it.
                _ = Task.Delay(NamespaceTerminationDelay, cluster.Time, _stop.Token)
                    .ContinueWith(_ => _work.Writer.TryWrite(new WorkItem("FinalizeNamespace", null, item.Name)), TaskScheduler.Default);
                break;
            case "FinalizeNamespace":
                cluster.FinalizeNamespace(item.Name!);
                break;
        }
    }

    private void EnsureDefaultServiceAccount(string ns)
    {
        var serviceAccounts = Type("", "serviceaccounts");
        var namespaceObject = cluster.Store.Get(Type("", "namespaces").StorageKey, null, ns);
        if (namespaceObject is null || cluster.Store.Get(serviceAccounts.StorageKey, ns, "default") is not null)
        {
            return;
        }

        cluster.CreateTrusted(serviceAccounts, ns, new JsonObject
        {
            ["apiVersion"] = "v1",
            ["kind"] = "ServiceAccount",
            ["metadata"] = new JsonObject { ["name"] = "default", ["namespace"] = ns },
        });
    }

    public void Dispose()
    {
        _stop.Cancel();
        _watcher?.Dispose();
        _work.Writer.TryComplete();
    }

    private readonly record struct WorkItem(string Kind, string? Namespace, string? Name);
}
