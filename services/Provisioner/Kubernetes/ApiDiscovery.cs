using System.Text.Json.Nodes;

namespace LabNet.Provisioner.Kubernetes;

/// <summary>Which kinds the API server serves, under which plural and scope (what kubectl learns from discovery).</summary>
internal sealed class ApiDiscovery(IReadOnlyDictionary<(string ApiVersion, string Kind), ApiResource> resources)
{
    public ApiResource? Find(string apiVersion, string kind) => resources.GetValueOrDefault((apiVersion, kind));

    public static async Task<ApiDiscovery> LoadAsync(RestApi api, CancellationToken cancellationToken)
    {
        var groupVersions = new List<string> { "v1" };
        if (await api.GetAsync("/apis", cancellationToken) is { } groups)
        {
            groupVersions.AddRange(groups["groups"]!.AsArray()
                .SelectMany(g => g!["versions"]!.AsArray().Select(v => v!["groupVersion"]!.GetValue<string>())));
        }

        var resources = new Dictionary<(string, string), ApiResource>();
        foreach (var groupVersion in groupVersions)
        {
            var prefix = groupVersion == "v1" ? "/api/v1" : $"/apis/{groupVersion}";
            if (await api.GetAsync(prefix, cancellationToken) is not { } list)
            {
                continue;
            }

            foreach (var resource in list["resources"]!.AsArray().OfType<JsonObject>())
            {
                var name = resource["name"]!.GetValue<string>();
                if (name.Contains('/'))
                {
                    continue; // subresources such as pods/log
                }

                resources[(groupVersion, resource["kind"]!.GetValue<string>())] =
                    new ApiResource(prefix, name, resource["namespaced"]?.GetValue<bool>() ?? false);
            }
        }

        return new ApiDiscovery(resources);
    }
}

internal sealed record ApiResource(string Prefix, string Plural, bool Namespaced)
{
    public string PathFor(string? @namespace, string? name) =>
        (@namespace is null ? $"{Prefix}/{Plural}" : $"{Prefix}/namespaces/{@namespace}/{Plural}") + (name is null ? "" : $"/{name}");
}
