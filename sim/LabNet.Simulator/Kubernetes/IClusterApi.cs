using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// One cluster's API state as the rest of the twin (kubeadm, helm, the deployment controller, Cilium, Istio) reads and
/// writes it. Objects are in their wire form (<c>apiVersion</c>, <c>kind</c>, <c>metadata</c>, <c>spec</c>, <c>status</c>),
/// exactly what <c>kubectl get -o json</c> shows; writes go through the same store, resourceVersions and watch events
/// as writes over HTTP.
/// </summary>
public interface IClusterApi
{
    ClusterBootstrap Bootstrap { get; }

    /// <summary>The server a kubeconfig names: <c>http://127.0.0.1:PORT/clusters/&lt;name&gt;</c>.</summary>
    Uri Server { get; }

    /// <summary>Whether the API server answers; while it does not, every HTTP request to it fails as it would in reality.</summary>
    ApiServerAvailability Availability { get; set; }

    /// <summary>
    /// The CNI the cluster's kubelets use for pod sandboxes: <see cref="NoCniPodNetwork"/> until one is installed
    /// (pods stay ContainerCreating); setting it lets pending pods start.
    /// </summary>
    IPodNetwork PodNetwork { get; set; }

    JsonObject? Get(string apiVersion, string kind, string? @namespace, string name);

    IReadOnlyList<JsonObject> List(string apiVersion, string kind, string? @namespace = null);

    /// <summary>Creates or replaces the object; the store assigns uid, resourceVersion and creationTimestamp.</summary>
    JsonObject Apply(JsonObject obj);

    bool Delete(string apiVersion, string kind, string? @namespace, string name);

    /// <summary>Adds a mutating admission step (e.g. sidecar injection) to every later write; dispose to remove it.</summary>
    IDisposable AddAdmissionPlugin(IAdmissionPlugin plugin);

    /// <summary>Every change after this call, in order; for the simulator's own controllers.</summary>
    IDisposable Subscribe(Action<ClusterObjectChange> onChange);
}

/// <summary>A change to one object, as a watch reports it (<c>ADDED</c>, <c>MODIFIED</c>, <c>DELETED</c>).</summary>
public sealed record ClusterObjectChange(string Type, JsonObject Object);

/// <summary>Whether the API server answers, and if not, why (shown in the error a client gets and in the simulator's logs).</summary>
public sealed record ApiServerAvailability(bool Serving, string? Reason)
{
    public static readonly ApiServerAvailability Up = new(true, null);

    public static ApiServerAvailability Down(string reason) => new(false, reason);
}
