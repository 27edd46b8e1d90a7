using System.Net.Http.Json;
using System.Text.Json.Nodes;
using LabNet.Canary;

namespace LabNet.AppHost.Canary;

/// <summary>Calls the CanaryController's dashboard API (<see cref="CanaryApi"/>): the canaries and their commands.</summary>
internal sealed class CanaryControllerClient(HttpClient http, EndpointReference controller)
{
    /// <summary>Every Canary's summary, or the controller's problem text when it cannot list them (e.g. no kubeconfig yet).</summary>
    public async Task<(IReadOnlyList<CanarySummary>? Canaries, string? Problem)> ListAsync(bool poll, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, await UrlAsync(CanaryApi.CanariesPath, cancellationToken));
        if (poll)
        {
            // Every two seconds: the services leave such polls out of their traces (see ServiceDefaults).
            request.Headers.Add("X-LabNet-Poll", "canary-status");
        }

        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return (null, await ProblemTextAsync(response, cancellationToken));
        }

        return (await response.Content.ReadFromJsonAsync<List<CanarySummary>>(CanaryApi.Json, cancellationToken), null);
    }

    /// <summary>The annotation value the controller wrote (e.g. <c>pause@1764150000000</c>), or the controller's problem text.</summary>
    public async Task<(string? Value, string? Problem)> SendAsync(string @namespace, string name, string word, CancellationToken cancellationToken)
    {
        using var response = await http.PostAsync(await UrlAsync(CanaryApi.CommandPath(@namespace, name, word), cancellationToken), content: null, cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            return (null, await ProblemTextAsync(response, cancellationToken));
        }

        var accepted = await response.Content.ReadFromJsonAsync<CommandAccepted>(CanaryApi.Json, cancellationToken);
        return (accepted?.Value, null);
    }

    private static async Task<string> ProblemTextAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            if (JsonNode.Parse(body) is JsonObject problem && problem["title"] is { } title)
            {
                return problem["detail"] is { } detail ? $"{title}: {detail}" : title.ToString();
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not a problem document: the raw body says it best.
        }

        return $"{(int)response.StatusCode} {response.ReasonPhrase}: {body}";
    }

    private async Task<Uri> UrlAsync(string path, CancellationToken cancellationToken) =>
        new(new Uri(await controller.GetValueAsync(cancellationToken) ?? throw new InvalidOperationException("The canarycontroller has no endpoint yet.")), path);
}
