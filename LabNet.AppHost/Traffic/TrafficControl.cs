using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace LabNet.AppHost.Traffic;

/// <summary>
/// Changes the simulator's demo traffic through its HTTP API (<c>GET</c>, then <c>PUT /traffic</c> with the whole
/// settings): rates up or down, the canary's faults and their heal. One change at a time, so two commands never overwrite
/// each other's edit. Remembers what each fault changed in v2's behaviour, which its heal restores.
/// </summary>
internal sealed class TrafficControl(EndpointReference simulator)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Lock _faultsGate = new();
    private readonly Dictionary<CanaryFault, JsonObject?> _injected = [];

    public bool IsInjected(CanaryFault fault)
    {
        lock (_faultsGate)
        {
            return _injected.ContainsKey(fault);
        }
    }

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

    public Task<TrafficChange> InjectAsync(HttpClient http, CanaryFault fault, CancellationToken cancellationToken) =>
        ChangeAsync(http, settings =>
        {
            if (IsInjected(fault))
            {
                return new TrafficEdit(false, $"The {fault.Name} is already injected ({fault.Description}); heal it first.");
            }

            var versions = Versions(settings);
            var before = versions[CanaryFault.Version]?.DeepClone() as JsonObject;
            var faulty = (JsonObject)(before ?? CanaryFault.Unlisted).DeepClone();
            fault.Apply(faulty);
            versions[CanaryFault.Version] = faulty;
            return new TrafficEdit(true, $"{Capitalized(fault.Name)} injected: {fault.Description}. v2 was {CanaryFault.Describe(before)}; heal restores it.", () =>
            {
                lock (_faultsGate)
                {
                    _injected[fault] = before;
                }
            });
        }, cancellationToken);

    public Task<TrafficChange> HealAsync(HttpClient http, CanaryFault fault, CancellationToken cancellationToken) =>
        ChangeAsync(http, settings =>
        {
            var versions = Versions(settings);
            JsonObject? before;
            bool othersInjected;
            lock (_faultsGate)
            {
                if (!_injected.TryGetValue(fault, out before))
                {
                    return new TrafficEdit(false, $"No {fault.Name} is injected; nothing to heal (httpbin v2: {CanaryFault.Describe(versions[CanaryFault.Version])}).");
                }

                othersInjected = _injected.Count > 1;
            }

            if (before is null && !othersInjected)
            {
                versions.Remove(CanaryFault.Version); // v2 was not listed before the first fault: unlisted again
            }
            else if (versions[CanaryFault.Version] is JsonObject current)
            {
                // Only this fault's fields: another fault injected since keeps its own.
                var original = before ?? CanaryFault.Unlisted;
                foreach (var field in fault.Fields)
                {
                    current[field] = original[field]?.DeepClone();
                }
            }

            return new TrafficEdit(true, $"{Capitalized(fault.Name)} healed: httpbin v2 is back to {CanaryFault.Describe(versions[CanaryFault.Version] ?? before)}.", () =>
            {
                lock (_faultsGate)
                {
                    _injected.Remove(fault);
                }
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

    private static string Capitalized(string text) => char.ToUpperInvariant(text[0]) + text[1..];

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
