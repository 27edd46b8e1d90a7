using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;

namespace LabNet.Provisioner.Tests.Provisioning;

/// <summary>
/// Every lab operation answers with its own id, and waiting on that id answers with that operation's result, never an
/// earlier one's. An invalid spec makes each operation end at once, before any tool runs.
/// </summary>
public sealed class LabOperationsTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly string _spec = Path.Combine(Path.GetTempPath(), $"labnet-operations-{Guid.NewGuid():N}.json");
    private WebApplicationFactory<Program> _provisioner = null!;
    private HttpClient _client = null!;

    public async ValueTask InitializeAsync()
    {
        await File.WriteAllTextAsync(_spec, """{ "base_image": "img", "ssh_user": "admin", "clusters": [ { "name": "a", "pod_cidr": "10.1.0.0/16", "service_cidr": "10.1.0.0/16", "nodes": [] } ] }""");
        _provisioner = new WebApplicationFactory<Program>().WithWebHostBuilder(host => host.UseSetting("Lab:SpecPath", _spec));
        _client = _provisioner.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _provisioner.DisposeAsync();
        File.Delete(_spec);
    }

    [Fact]
    public async Task An_apply_answers_with_its_id_and_waiting_on_the_id_gives_its_result()
    {
        using var started = await _client.PostAsync("/api/lab/apply", null).WaitAsync(Timeout);
        var body = await started.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        var id = (string)body!["operationId"]!;
        Assert.Equal($"/api/lab/operations/{id}", started.Headers.Location?.OriginalString);
        var operation = await WaitAsync(id);
        Assert.Equal("apply", (string?)operation["kind"]);
        Assert.Equal("finished", (string?)operation["state"]);
        Assert.Equal("invalid-spec", (string?)operation["result"]!["status"]);
        Assert.Equal(id, (string?)operation["result"]!["operationId"]);
    }

    [Fact]
    public async Task Each_operation_has_its_own_id_and_an_earlier_result_is_never_an_answer_for_a_later_one()
    {
        var apply = await StartAsync("/api/lab/apply");
        await WaitAsync(apply);
        var destroy = await StartAsync("/api/lab/destroy?confirm=yes");
        Assert.Equal("destroy", (string?)(await WaitAsync(destroy))["kind"]);
        var repair = await StartAsync("/api/lab/repair");
        var repaired = await WaitAsync(repair);

        Assert.Equal(3, new[] { apply, destroy, repair }.Distinct().Count());
        Assert.Equal("repair", (string?)repaired["kind"]);
        Assert.Equal(repair, (string?)repaired["result"]!["operationId"]);
        var status = await _client.GetFromJsonAsync<JsonObject>("/api/lab/status").WaitAsync(Timeout);
        Assert.Equal(repair, (string?)status!["lastResult"]!["operationId"]);
    }

    [Fact]
    public async Task Apply_with_wait_answers_with_the_result_and_its_id()
    {
        using var response = await _client.PostAsync("/api/lab/apply?wait=true", null).WaitAsync(Timeout);
        var result = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Equal("invalid-spec", (string?)result!["status"]);
        Assert.Equal("apply", (string?)(await WaitAsync((string)result["operationId"]!))["kind"]);
    }

    [Fact]
    public async Task A_plan_is_an_operation_too()
    {
        using var response = await _client.PostAsync("/api/lab/plan", null).WaitAsync(Timeout);
        var plan = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        var operation = await WaitAsync((string)plan!["operationId"]!);
        Assert.Equal("plan", (string?)operation["kind"]);
        Assert.NotEmpty(operation["result"]!["problems"]!.AsArray());
    }

    [Fact]
    public async Task An_unknown_id_is_not_found()
    {
        using var response = await _client.GetAsync("/api/lab/operations/nothing-like-this?wait=true").WaitAsync(Timeout);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("No lab operation nothing-like-this", await response.Content.ReadAsStringAsync());
    }

    private async Task<string> StartAsync(string path)
    {
        using var response = await _client.PostAsync(path, null).WaitAsync(Timeout);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (string)(await response.Content.ReadFromJsonAsync<JsonObject>())!["operationId"]!;
    }

    private async Task<JsonObject> WaitAsync(string id) =>
        (await _client.GetFromJsonAsync<JsonObject>($"/api/lab/operations/{id}?wait=true").WaitAsync(Timeout))!;
}
