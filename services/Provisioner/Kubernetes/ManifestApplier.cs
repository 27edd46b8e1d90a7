using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace LabNet.Provisioner.Kubernetes;

/// <summary>
/// Applies manifests through the cluster's REST API, kind-agnostic (built-ins and custom resources alike): resources are
/// found by discovery, an object is created when absent, replaced when the live one differs from what the manifest says,
/// and left alone otherwise, so a converged cluster sees no write. Custom resources wait for their CRD to be served.
/// </summary>
public sealed class ManifestApplier(ClusterApiClients clients, TimeProvider time)
{
    private static readonly TimeSpan CrdEstablishTimeout = TimeSpan.FromSeconds(60);

    /// <summary>What applying would change, without changing anything.</summary>
    public Task<ManifestApplyResult> DiffAsync(string cluster, IReadOnlyList<Manifest> manifests, CancellationToken cancellationToken) =>
        RunAsync(cluster, manifests, write: false, cancellationToken);

    public Task<ManifestApplyResult> ApplyAsync(string cluster, IReadOnlyList<Manifest> manifests, CancellationToken cancellationToken) =>
        RunAsync(cluster, manifests, write: true, cancellationToken);

    private async Task<ManifestApplyResult> RunAsync(string cluster, IReadOnlyList<Manifest> manifests, bool write, CancellationToken cancellationToken)
    {
        var client = clients.For(cluster);
        var api = new RestApi(client.HttpClient, client.BaseUri);
        var discovery = await ApiDiscovery.LoadAsync(api, cancellationToken);
        var result = new ManifestApplyResult();
        var scaledByAutoscaler = AutoscalerTargets(manifests);

        foreach (var manifest in manifests)
        {
            var resource = discovery.Find(manifest.ApiVersion, manifest.Kind);
            if (resource is null && write)
            {
                resource = await WaitForKindAsync(api, manifest, cancellationToken);
            }

            if (resource is null)
            {
                // Dry run: its CRD is in the same batch and not applied yet, so it will be created.
                result.Add(manifest, ManifestChange.Created);
                continue;
            }

            var path = resource.PathFor(resource.Namespaced ? manifest.Namespace ?? "default" : null, manifest.Name);
            var live = await api.GetAsync(path, cancellationToken);
            if (live is null && write
                && !await api.CreateAsync(resource.PathFor(resource.Namespaced ? manifest.Namespace ?? "default" : null, null), manifest, cancellationToken))
            {
                // A retried create whose first answer was lost on the way: the object is there now, so compare with it.
                live = await api.GetAsync(path, cancellationToken);
            }

            if (live is null)
            {
                result.Add(manifest, ManifestChange.Created);
            }
            else if (JsonSubset.Contains(live, Desired(manifest, scaledByAutoscaler)))
            {
                result.Add(manifest, ManifestChange.Unchanged);
            }
            else
            {
                if (write)
                {
                    var merged = JsonSubset.Overlay(live, Desired(manifest, scaledByAutoscaler));
                    await api.SendAsync(HttpMethod.Put, path, merged, manifest, cancellationToken);
                }

                result.Add(manifest, ManifestChange.Updated);
            }

            if (write && manifest.Kind == "CustomResourceDefinition")
            {
                discovery = await ApiDiscovery.LoadAsync(api, cancellationToken);
            }
        }

        return result;
    }

    private async Task<ApiResource> WaitForKindAsync(RestApi api, Manifest manifest, CancellationToken cancellationToken)
    {
        var deadline = time.GetUtcNow() + CrdEstablishTimeout;
        while (true)
        {
            var discovery = await ApiDiscovery.LoadAsync(api, cancellationToken);
            if (discovery.Find(manifest.ApiVersion, manifest.Kind) is { } resource)
            {
                return resource;
            }

            if (time.GetUtcNow() > deadline)
            {
                throw new ManifestException(manifest.File,
                    $"{manifest}: the cluster serves no kind \"{manifest.Kind}\" in version \"{manifest.ApiVersion}\" (no matches for kind); " +
                    "install its CustomResourceDefinition first (for Istio kinds: the istio base chart).");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(500), time, cancellationToken);
        }
    }

    /// <summary>
    /// What the manifest owns in a live object: not its status, and not the replica count of a workload an autoscaler
    /// in the same manifests scales (re-applying would undo the autoscaler's work; the count only seeds creation).
    /// </summary>
    private static JsonObject Desired(Manifest manifest, IReadOnlySet<(string Namespace, string Kind, string Name)> scaledByAutoscaler)
    {
        var desired = (JsonObject)manifest.Object.DeepClone();
        desired.Remove("status");
        if (scaledByAutoscaler.Contains((manifest.Namespace ?? "default", manifest.Kind, manifest.Name)) && desired["spec"] is JsonObject spec)
        {
            spec.Remove("replicas");
        }

        return desired;
    }

    private static IReadOnlySet<(string Namespace, string Kind, string Name)> AutoscalerTargets(IEnumerable<Manifest> manifests) =>
        manifests
            .Where(m => m.Kind == "HorizontalPodAutoscaler")
            .Select(m => (m.Namespace ?? "default", m.Object["spec"]?["scaleTargetRef"]?["kind"]?.GetValue<string>() ?? "", m.Object["spec"]?["scaleTargetRef"]?["name"]?.GetValue<string>() ?? ""))
            .ToHashSet();
}

public enum ManifestChange
{
    Created,
    Updated,
    Unchanged,
}

public sealed class ManifestApplyResult
{
    private readonly List<(string Object, ManifestChange Change)> _objects = [];

    public IReadOnlyList<(string Object, ManifestChange Change)> Objects => _objects;

    public int Changed => _objects.Count(o => o.Change != ManifestChange.Unchanged);

    public void Add(Manifest manifest, ManifestChange change) => _objects.Add((manifest.ToString(), change));

    public override string ToString() =>
        $"{_objects.Count(o => o.Change == ManifestChange.Created)} created, {_objects.Count(o => o.Change == ManifestChange.Updated)} updated, " +
        $"{_objects.Count(o => o.Change == ManifestChange.Unchanged)} unchanged";
}

/// <summary>Raw REST on the client's authenticated HttpClient; paths are appended to the server URL's own path.</summary>
internal sealed class RestApi(HttpClient http, Uri server)
{
    private readonly string _base = server.ToString().TrimEnd('/');

    public async Task<JsonObject?> GetAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(_base + path, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
    }

    /// <summary>Creates the object; false when it already exists (409 AlreadyExists).</summary>
    public async Task<bool> CreateAsync(string collectionPath, Manifest manifest, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _base + collectionPath) { Content = JsonContent.Create(manifest.Object) };
        using var response = await http.SendAsync(request, cancellationToken);
        if (response.StatusCode == HttpStatusCode.Conflict && TryStatusReason(await response.Content.ReadAsStringAsync(cancellationToken)) == "AlreadyExists")
        {
            return false;
        }

        await ThrowIfRefusedAsync(response, manifest, cancellationToken);
        return true;
    }

    public async Task SendAsync(HttpMethod method, string path, JsonObject body, Manifest manifest, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, _base + path) { Content = JsonContent.Create(body) };
        using var response = await http.SendAsync(request, cancellationToken);
        await ThrowIfRefusedAsync(response, manifest, cancellationToken);
    }

    private static async Task ThrowIfRefusedAsync(HttpResponseMessage response, Manifest manifest, CancellationToken cancellationToken)
    {
        if ((int)response.StatusCode >= 500 || response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            // Still unavailable after the client's retries: worth another try later, not a fault of the manifest.
            throw new HttpRequestException($"{manifest}: the API server answered {(int)response.StatusCode}: {TryStatusMessage(await response.Content.ReadAsStringAsync(cancellationToken))}", null, response.StatusCode);
        }

        if (!response.IsSuccessStatusCode)
        {
            // The API server's Status message says what is wrong with the object; pass it on with where the object came from.
            var status = await response.Content.ReadAsStringAsync(cancellationToken);
            var message = TryStatusMessage(status) ?? status;
            throw new ManifestException(manifest.File, $"{manifest}: the API server refused it ({(int)response.StatusCode}): {message}");
        }
    }

    private static string? TryStatusMessage(string body) => TryStatusField(body, "message");

    private static string? TryStatusReason(string body) => TryStatusField(body, "reason");

    private static string? TryStatusField(string body, string field)
    {
        try
        {
            return JsonNode.Parse(body)?[field]?.GetValue<string>();
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
