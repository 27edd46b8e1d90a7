using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace LabNet.Simulator.Tests.Kubernetes;

/// <summary>The wire formats other clients (KubernetesClient in the services, client-go) rely on, checked over HTTP.</summary>
[Collection(SimulatorServerCollection.Name)]
public sealed class ApiWireFormatTests(SimulatorServer server)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static async Task<(HttpStatusCode Status, JsonObject Body)> SendAsync(HttpClient http, HttpMethod method, string url, string? body = null,
        string contentType = "application/json", string? accept = null)
    {
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }

        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await http.SendAsync(request).WaitAsync(Timeout);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject());
    }

    [Fact]
    public async Task Errors_are_Status_objects_with_the_apiservers_reasons_and_codes()
    {
        var cluster = server.CreateCluster();
        using var http = new HttpClient();
        var api = cluster.Api.Server.ToString();

        var notFound = await SendAsync(http, HttpMethod.Get, api + "/api/v1/namespaces/default/pods/nope");
        var unknownResource = await SendAsync(http, HttpMethod.Get, api + "/apis/example.com/v1/widgets");
        var notAllowed = await SendAsync(http, HttpMethod.Post, api + "/api/v1/namespaces/default/configmaps/x", "{}");
        var badSelector = await SendAsync(http, HttpMethod.Get, api + "/api/v1/pods?fieldSelector=spec.image%3Dnginx");

        Assert.Equal(HttpStatusCode.NotFound, notFound.Status);
        Assert.Equal("""{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \u0022nope\u0022 not found","reason":"NotFound","details":{"name":"nope","kind":"pods"},"code":404}""",
            notFound.Body.ToJsonString());
        Assert.Equal((HttpStatusCode.NotFound, "the server could not find the requested resource"), (unknownResource.Status, unknownResource.Body["message"]!.GetValue<string>()));
        Assert.Equal((HttpStatusCode.MethodNotAllowed, "MethodNotAllowed"), (notAllowed.Status, notAllowed.Body["reason"]!.GetValue<string>()));
        Assert.Equal((HttpStatusCode.BadRequest, "field label not supported: spec.image"), (badSelector.Status, badSelector.Body["message"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Strategic_merge_patch_on_a_custom_resource_is_415_as_on_a_real_apiserver()
    {
        var cluster = server.CreateCluster();
        cluster.Kubectl.CopyManifests();
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "crds.yaml", "-f", "demo/00-namespace.yaml")).ExitCode);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "istio.yaml")).ExitCode);
        using var http = new HttpClient();

        var result = await SendAsync(http, HttpMethod.Patch, cluster.Api.Server + "/apis/networking.istio.io/v1/namespaces/demo/virtualservices/httpbin",
            """{"spec":{"hosts":["other"]}}""", "application/strategic-merge-patch+json");

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, result.Status);
        Assert.StartsWith("the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json",
            result.Body["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_openapi_v3_documents_advertise_server_side_field_validation()
    {
        var cluster = server.CreateCluster();
        using var http = new HttpClient();

        var (_, index) = await SendAsync(http, HttpMethod.Get, cluster.Api.Server + "/openapi/v3");
        var appsUrl = index["paths"]!["apis/apps/v1"]!["serverRelativeURL"]!.GetValue<string>();
        var (_, apps) = await SendAsync(http, HttpMethod.Get, new Uri(cluster.Api.Server, appsUrl).ToString());

        Assert.StartsWith($"/clusters/{cluster.Api.Bootstrap.Name}/openapi/v3/apis/apps/v1?hash=", appsUrl);
        var patch = apps["paths"]!["/apis/apps/v1/namespaces/{namespace}/deployments/{name}"]!["patch"]!;
        Assert.Contains(patch["parameters"]!.AsArray(), p => p!["name"]!.GetValue<string>() == "fieldValidation");
        Assert.Equal("Deployment", patch["x-kubernetes-group-version-kind"]!["kind"]!.GetValue<string>());
        Assert.Equal("name", apps["components"]!["schemas"]!["io.k8s.api.apps.v1.Deployment"]!["properties"]!["spec"]!["properties"]!["template"]!
            ["properties"]!["spec"]!["properties"]!["containers"]!["x-kubernetes-patch-merge-key"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_watch_with_initial_events_ends_them_with_a_bookmark_and_then_streams_changes()
    {
        var cluster = server.CreateCluster();
        using var http = new HttpClient();
        var configMaps = cluster.Api.Server + "/api/v1/namespaces/default/configmaps";
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(http, HttpMethod.Post, configMaps, """{"metadata":{"name":"a"},"data":{"k":"1"}}""")).Status);

        using var response = await http.GetAsync(configMaps + "?watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true",
            HttpCompletionOption.ResponseHeadersRead).WaitAsync(Timeout);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        async Task<JsonObject> NextAsync() => JsonNode.Parse((await reader.ReadLineAsync().WaitAsync(Timeout))!)!.AsObject();

        var added = await NextAsync();
        var bookmark = await NextAsync();
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(http, HttpMethod.Post, configMaps, """{"metadata":{"name":"b"}}""")).Status);
        var next = await NextAsync();

        Assert.Equal(("ADDED", "a"), (added["type"]!.GetValue<string>(), added["object"]!["metadata"]!["name"]!.GetValue<string>()));
        Assert.Equal("BOOKMARK", bookmark["type"]!.GetValue<string>());
        Assert.Equal("true", bookmark["object"]!["metadata"]!["annotations"]!["k8s.io/initial-events-end"]!.GetValue<string>());
        Assert.Equal(("ADDED", "b"), (next["type"]!.GetValue<string>(), next["object"]!["metadata"]!["name"]!.GetValue<string>()));
    }

    [Fact]
    public async Task A_table_request_gets_the_printer_columns_and_partial_object_metadata()
    {
        var cluster = server.CreateCluster();
        using var http = new HttpClient();

        var (status, table) = await SendAsync(http, HttpMethod.Get, cluster.Api.Server + "/api/v1/nodes", accept: "application/json;as=Table;v=v1;g=meta.k8s.io,application/json");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("Table", table["kind"]!.GetValue<string>());
        Assert.Equal(["Name", "Status", "Roles", "Age", "Version", "Internal-IP", "External-IP", "OS-Image", "Kernel-Version", "Container-Runtime"],
            table["columnDefinitions"]!.AsArray().Select(c => c!["name"]!.GetValue<string>()));
        Assert.Equal([0, 0, 0, 0, 0, 1, 1, 1, 1, 1], table["columnDefinitions"]!.AsArray().Select(c => c!["priority"]!.GetValue<int>()));
        var row = table["rows"]![0]!;
        Assert.Equal("PartialObjectMetadata", row["object"]!["kind"]!.GetValue<string>());
        Assert.Equal($"{cluster.Api.Bootstrap.Name}-master", row["cells"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task The_status_subresource_of_a_custom_resource_changes_only_status_and_the_main_resource_only_the_rest()
    {
        var cluster = server.CreateCluster();
        cluster.Kubectl.CopyManifests();
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "crds.yaml", "-f", "demo/00-namespace.yaml")).ExitCode);
        Assert.Equal(0, (await cluster.Kubectl.RunAsync("apply", "-f", "policies.yaml")).ExitCode);
        using var http = new HttpClient();
        var url = cluster.Api.Server + "/apis/cilium.io/v2/namespaces/demo/ciliumnetworkpolicies/default-deny";

        var status = await SendAsync(http, HttpMethod.Patch, url + "/status",
            """{"status":{"conditions":[{"type":"Valid","status":"True"}]},"spec":{"description":"ignored"}}""", "application/merge-patch+json");
        var main = await SendAsync(http, HttpMethod.Patch, url, """{"status":{"conditions":[]},"spec":{"description":"changed"}}""", "application/merge-patch+json");
        var table = await cluster.Kubectl.RunAsync("get", "cnp", "default-deny", "-n", "demo");

        Assert.Equal(HttpStatusCode.OK, status.Status);
        Assert.Equal("Deny all ingress in demo except what later rules allow", status.Body["spec"]!["description"]!.GetValue<string>());
        Assert.Equal(1, ObjectFactsLong(status.Body["metadata"]!["generation"]));
        Assert.Equal("changed", main.Body["spec"]!["description"]!.GetValue<string>());
        Assert.Equal("True", main.Body["status"]!["conditions"]![0]!["status"]!.GetValue<string>());
        Assert.Equal(2, ObjectFactsLong(main.Body["metadata"]!["generation"]));
        Assert.Matches(@"default-deny\s+\d+s\s+True", table.Stdout);
    }

    private static long ObjectFactsLong(JsonNode? node) => LabNet.Simulator.Kubernetes.ObjectFacts.Long(node);
}
