using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace LabNet.AppHost.Lab;

/// <summary>Calls the Provisioner's lab API for the lab resource's status loop and commands.</summary>
internal sealed class ProvisionerClient(HttpClient http, EndpointReference provisioner)
{
    public async Task<JsonObject?> StatusAsync(CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, await UrlAsync("/api/lab/status", cancellationToken));
        // Every two seconds: the services leave such polls out of their traces (see ServiceDefaults).
        request.Headers.Add("X-LabNet-Poll", "lab-status");
        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken);
    }

    public async Task<(bool Success, string Body)> PostAsync(string path, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync(await UrlAsync(path, cancellationToken), content: null, cancellationToken);
        return (response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
    }

    private async Task<Uri> UrlAsync(string path, CancellationToken cancellationToken) =>
        new(new Uri(await provisioner.GetValueAsync(cancellationToken) ?? throw new InvalidOperationException("The provisioner has no endpoint yet.")), path);
}
