using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace LabNet.AppHost.Traffic;

/// <summary>
/// Changes the simulator's demo traffic through its HTTP API (<c>GET</c>, then <c>PUT /traffic</c> with the whole
/// settings): rates up or down, the canary fault and its heal. One change at a time, so two commands never overwrite
/// each other's edit. Remembers v2's behaviour from before the fault, which heal restores.
/// </summary>
internal sealed class TrafficControl(EndpointReference simulator)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private JsonObject? _beforeFault;
    private volatile bool _faultInjected;

    public bool FaultInjected => _faultInjected;

    public async Task<JsonObject> ReadAsync(HttpClient http, bool poll, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, await UrlAsync(cancellationToken));
        if (poll)
        {
            // Every two seconds: the services leave such polls out of their traces (see ServiceDefaults).
            request.Headers.Add("X-LabNet-Poll", "traffic-status");
        }

        using var response = await http.SendAsync(request, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<JsonObject>(cancellationToken)
            ?? throw new HttpRequestException("The simulator answered GET /traffic with an empty body.");
    }

    /// <summary>Every scenario's rate times <paramref name="factor"/>; reports the new total.</summary>
    public Task<TrafficChange> ScaleRatesAsync(HttpClient http, double factor, CancellationToken cancellationToken) =>
        ChangeAsync(http, settings =>
        {
            var rates = Rates(settings);
            var before = TotalRate(settings);
            foreach (var (scenario, rate) in rates.ToList())
            {
                rates[scenario] = rate!.GetValue<double>() * factor;
            }

            return new TrafficEdit(true, string.Create(CultureInfo.InvariantCulture,
                $"Traffic rate x{factor:0.###}: {before:0.##} -> {TotalRate(settings):0.##} requests/s in total ({RateList(settings)})."));
        }, cancellationToken);

    public Task<TrafficChange> InjectCanaryFaultAsync(HttpClient http, CancellationToken cancellationToken) =>
        ChangeAsync(http, settings =>
        {
            if (_faultInjected)
            {
                return new TrafficEdit(false, $"The canary fault is already injected ({CanaryFault.Description}); heal it first.");
            }

            var versions = Versions(settings);
            var before = versions[CanaryFault.Version]?.DeepClone() as JsonObject;
            versions[CanaryFault.Version] = CanaryFault.Apply(before);
            return new TrafficEdit(true, $"Canary fault injected: {CanaryFault.Description}. v2 was {CanaryFault.Describe(before)}; heal restores it.", () =>
            {
                _beforeFault = before;
                _faultInjected = true;
            });
        }, cancellationToken);

    public Task<TrafficChange> HealCanaryFaultAsync(HttpClient http, CancellationToken cancellationToken) =>
        ChangeAsync(http, settings =>
        {
            var versions = Versions(settings);
            if (!_faultInjected)
            {
                return new TrafficEdit(false, $"No canary fault is injected; nothing to heal (httpbin v2: {CanaryFault.Describe(versions[CanaryFault.Version])}).");
            }

            if (_beforeFault is null)
            {
                versions.Remove(CanaryFault.Version);
            }
            else
            {
                versions[CanaryFault.Version] = _beforeFault.DeepClone();
            }

            return new TrafficEdit(true, $"Canary fault healed: httpbin v2 is back to {CanaryFault.Describe(_beforeFault)}.", () =>
            {
                _beforeFault = null;
                _faultInjected = false;
            });
        }, cancellationToken);

    public static double TotalRate(JsonObject settings) => Rates(settings).Sum(r => r.Value?.GetValue<double>() ?? 0);

    public static string RateList(JsonObject settings) => string.Join(", ",
        Rates(settings).Select(r => string.Create(CultureInfo.InvariantCulture, $"{r.Key} {r.Value?.GetValue<double>():0.##}/s")));

    public static JsonObject Versions(JsonObject settings) =>
        settings["versions"] as JsonObject ?? (JsonObject)(settings["versions"] = new JsonObject());

    private static JsonObject Rates(JsonObject settings) =>
        settings["rates"] as JsonObject ?? (JsonObject)(settings["rates"] = new JsonObject());

    /// <summary>Read, edit, write back; the edit says whether there is anything to write, what to report, and what to remember once written.</summary>
    private async Task<TrafficChange> ChangeAsync(HttpClient http, Func<JsonObject, TrafficEdit> edit, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            var settings = await ReadAsync(http, poll: false, cancellationToken);
            var change = edit(settings);
            if (!change.Write)
            {
                return new TrafficChange(false, change.Message);
            }

            using var response = await http.PutAsJsonAsync(await UrlAsync(cancellationToken), settings, cancellationToken);
            if (!response.IsSuccessStatusCode)
            {
                return new TrafficChange(false, $"The simulator refused the traffic settings; nothing changed: {await RefusalAsync(response, cancellationToken)}");
            }

            change.Commit?.Invoke();
            return new TrafficChange(true, change.Message);
        }
        finally
        {
            _gate.Release();
        }
    }

    private sealed record TrafficEdit(bool Write, string Message, Action? Commit = null);

    private static async Task<string> RefusalAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        try
        {
            if (JsonNode.Parse(body)?["errors"] is JsonObject errors)
            {
                return string.Join(" ", errors.SelectMany(e => e.Value?.AsArray().Select(m => m?.ToString()) ?? []));
            }
        }
        catch (System.Text.Json.JsonException)
        {
            // Not a validation problem: the raw body says it best.
        }

        return $"{(int)response.StatusCode} {response.ReasonPhrase}: {body}";
    }

    private async Task<Uri> UrlAsync(CancellationToken cancellationToken) =>
        new(new Uri(await simulator.GetValueAsync(cancellationToken) ?? throw new InvalidOperationException("The simulator has no endpoint yet.")), "/traffic");
}

/// <summary>What a traffic command did, in words for the dashboard.</summary>
internal sealed record TrafficChange(bool Success, string Message);
