using System.Globalization;
using System.Text.Json.Nodes;
using LabNet.Durations;

namespace LabNet.Simulator.Mesh;

/// <summary>
/// Reads VirtualService, DestinationRule and PeerAuthentication objects (any served version) into the sidecars' view.
/// What istiod would refuse (a regex that does not compile, an unknown mode) is reported in <paramref name="errors"/>
/// with the object and field, and that part is left out, as istiod leaves out config it cannot use.
/// </summary>
public static class IstioConfigParser
{
    public const string ClusterDomain = "cluster.local";

    /// <summary>Makes a host fully qualified the way Istio does: short names are relative to the config's namespace.</summary>
    public static string Qualify(string host, string @namespace)
    {
        if (host == "*" || host.StartsWith("*.", StringComparison.Ordinal) || host.EndsWith("." + ClusterDomain, StringComparison.OrdinalIgnoreCase))
        {
            return host;
        }

        var dots = host.Count(c => c == '.');
        return dots switch
        {
            0 => $"{host}.{@namespace}.svc.{ClusterDomain}",
            1 => $"{host}.svc.{ClusterDomain}",
            _ when host.EndsWith(".svc", StringComparison.OrdinalIgnoreCase) => $"{host}.{ClusterDomain}",
            _ => host,
        };
    }

    public static VirtualServiceConfig VirtualService(JsonObject obj, List<string> errors)
    {
        var (ns, name) = Identity(obj);
        var where = $"VirtualService {ns}/{name}";
        var spec = obj["spec"] as JsonObject ?? [];
        var hosts = Strings(spec["hosts"]).Select(h => Qualify(h, ns)).ToArray();
        var gateways = Strings(spec["gateways"]).ToArray();
        var routes = new List<HttpRouteConfig>();
        var index = 0;
        foreach (var route in (spec["http"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var at = $"{where}: spec.http[{index++}]";
            var matches = new List<HttpMatchConfig>();
            var matchIndex = 0;
            foreach (var match in (route["match"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if (Match(match, $"{at}.match[{matchIndex++}]", errors) is { } parsed)
                {
                    matches.Add(parsed);
                }
            }

            if (route["match"] is JsonArray { Count: > 0 } && matches.Count == 0)
            {
                continue; // every block was invalid: the route can never match.
            }

            var destinations = (route["route"] as JsonArray ?? []).OfType<JsonObject>().Select(d =>
            {
                var destination = d["destination"] as JsonObject ?? [];
                var host = Qualify(Text(destination["host"]) ?? "", ns);
                var port = Int(destination["port"]?["number"]);
                return new RouteDestinationConfig(host, Text(destination["subset"]), port, Int(d["weight"]) ?? -1);
            }).ToArray();

            // One destination without a weight takes everything; otherwise a missing weight is 0.
            destinations = destinations.Length == 1 && destinations[0].Weight < 0
                ? [destinations[0] with { Weight = 100 }]
                : destinations.Select(d => d.Weight < 0 ? d with { Weight = 0 } : d).ToArray();
            TimeSpan? timeout = GoDuration.TryParse(Text(route["timeout"]), out var t) ? t : null;
            RetryPolicyConfig? retries = route["retries"] is JsonObject r
                ? RetryPolicyConfig.Parse(Int(r["attempts"]) ?? 2, Text(r["retryOn"]), GoDuration.TryParse(Text(r["perTryTimeout"]), out var perTry) ? perTry : null)
                : null;
            routes.Add(new HttpRouteConfig(Text(route["name"]), matches, destinations, timeout, Fault(route["fault"] as JsonObject), retries));
        }

        return new VirtualServiceConfig(ns, name, hosts, gateways, routes);
    }

    public static DestinationRuleConfig DestinationRule(JsonObject obj, List<string> errors)
    {
        var (ns, name) = Identity(obj);
        var where = $"DestinationRule {ns}/{name}";
        var spec = obj["spec"] as JsonObject ?? [];
        var subsets = (spec["subsets"] as JsonArray ?? []).OfType<JsonObject>()
            .Select((s, i) => new SubsetConfig(
                Text(s["name"]) ?? "",
                Labels(s["labels"]),
                TrafficPolicy(s["trafficPolicy"] as JsonObject, $"{where}: spec.subsets[{i}].trafficPolicy", errors)))
            .ToArray();
        return new DestinationRuleConfig(ns, name, Qualify(Text(spec["host"]) ?? "", ns), TrafficPolicy(spec["trafficPolicy"] as JsonObject, $"{where}: spec.trafficPolicy", errors), subsets);
    }

    public static PeerAuthenticationConfig PeerAuthentication(JsonObject obj, List<string> errors)
    {
        var (ns, name) = Identity(obj);
        var where = $"PeerAuthentication {ns}/{name}";
        var spec = obj["spec"] as JsonObject ?? [];
        var selector = spec["selector"]?["matchLabels"] is JsonObject labels ? Labels(labels) : null;
        var ports = new Dictionary<int, MtlsMode>();
        foreach (var (key, value) in spec["portLevelMtls"] as JsonObject ?? [])
        {
            if (!int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
            {
                errors.Add($"{where}: spec.portLevelMtls.{key}: not a port number (1-65535).");
                continue;
            }

            ports[port] = Mode(value?["mode"], $"{where}: spec.portLevelMtls.{key}.mode", errors);
        }

        var created = DateTimeOffset.TryParse(Text(obj["metadata"]?["creationTimestamp"]), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var c) ? c : DateTimeOffset.MinValue;
        return new PeerAuthenticationConfig(ns, name, selector, Mode(spec["mtls"]?["mode"], $"{where}: spec.mtls.mode", errors), ports, created);
    }

    private static HttpMatchConfig? Match(JsonObject match, string at, List<string> errors)
    {
        try
        {
            var headers = (match["headers"] as JsonObject ?? [])
                .Select(h => (h.Key, Match: StringMatchOf(h.Value as JsonObject)))
                .Where(h => h.Match is not null)
                .Select(h => KeyValuePair.Create(h.Key.ToLowerInvariant(), h.Match!))
                .ToArray();
            var without = (match["withoutHeaders"] as JsonObject ?? []).Select(h => h.Key.ToLowerInvariant()).ToArray();
            return new HttpMatchConfig(headers, without, StringMatchOf(match["uri"] as JsonObject), StringMatchOf(match["method"] as JsonObject), Int(match["port"]), Labels(match["sourceLabels"]));
        }
        catch (ArgumentException e)
        {
            errors.Add($"{at}: a regex does not compile ({e.Message}); istiod rejects it, so the block never matches.");
            return null;
        }
    }

    private static StringMatch? StringMatchOf(JsonObject? node) => node switch
    {
        null => null,
        _ when Text(node["exact"]) is { } exact => StringMatch.Exact(exact),
        _ when Text(node["prefix"]) is { } prefix => StringMatch.Prefix(prefix),
        _ when Text(node["regex"]) is { } regex => StringMatch.Regex(regex),
        _ => null,
    };

    private static HttpFaultConfig? Fault(JsonObject? fault)
    {
        if (fault is null)
        {
            return null;
        }

        var abort = fault["abort"] as JsonObject;
        var delay = fault["delay"] as JsonObject;
        var delayTime = GoDuration.TryParse(Text(delay?["fixedDelay"]), out var d) ? d : TimeSpan.Zero;
        return new HttpFaultConfig(
            abort is null ? 0 : Percent(abort),
            Int(abort?["httpStatus"]) ?? 503,
            delay is null ? 0 : Percent(delay),
            delayTime);

        static double Percent(JsonObject node) =>
            node["percentage"]?["value"] is JsonValue v && v.TryGetValue<double>(out var p) ? p : Int(node["percent"]) ?? 100;
    }

    private static TrafficPolicyConfig? TrafficPolicy(JsonObject? policy, string at, List<string> errors)
    {
        if (policy is null)
        {
            return null;
        }

        var ports = new Dictionary<int, ClientTlsMode>();
        foreach (var setting in (policy["portLevelSettings"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if (Int(setting["port"]?["number"]) is { } port && Tls(setting["tls"]?["mode"], $"{at}.portLevelSettings[port {port}].tls.mode", errors) is { } mode)
            {
                ports[port] = mode;
            }
        }

        return new TrafficPolicyConfig(Tls(policy["tls"]?["mode"], $"{at}.tls.mode", errors), ports, Outlier(policy["outlierDetection"] as JsonObject));
    }

    private static OutlierDetectionSettings? Outlier(JsonObject? node)
    {
        if (node is null)
        {
            return null;
        }

        // consecutiveErrors is the deprecated name of consecutive5xxErrors (the gateway-error counter in old Istio).
        var consecutive = Int(node["consecutive5xxErrors"]) ?? Int(node["consecutiveErrors"]) ?? 5;
        return new OutlierDetectionSettings(
            consecutive,
            Int(node["consecutiveGatewayErrors"]) ?? 0,
            GoDuration.TryParse(Text(node["interval"]), out var interval) ? interval : null,
            GoDuration.TryParse(Text(node["baseEjectionTime"]), out var baseTime) ? baseTime : null,
            Int(node["maxEjectionPercent"]) ?? 10);
    }

    private static ClientTlsMode? Tls(JsonNode? node, string at, List<string> errors)
    {
        var text = Text(node);
        switch (text)
        {
            case null:
                return null;
            case "DISABLE":
                return ClientTlsMode.Disable;
            case "SIMPLE":
                return ClientTlsMode.Simple;
            case "MUTUAL":
                return ClientTlsMode.Mutual;
            case "ISTIO_MUTUAL":
                return ClientTlsMode.IstioMutual;
            default:
                errors.Add($"{at}: '{text}' is not a TLS mode (DISABLE, SIMPLE, MUTUAL, ISTIO_MUTUAL).");
                return null;
        }
    }

    private static MtlsMode Mode(JsonNode? node, string at, List<string> errors)
    {
        var text = Text(node);
        switch (text)
        {
            case null or "UNSET":
                return MtlsMode.Unset;
            case "DISABLE":
                return MtlsMode.Disable;
            case "PERMISSIVE":
                return MtlsMode.Permissive;
            case "STRICT":
                return MtlsMode.Strict;
            default:
                errors.Add($"{at}: '{text}' is not an mTLS mode (UNSET, DISABLE, PERMISSIVE, STRICT); treated as UNSET.");
                return MtlsMode.Unset;
        }
    }

    private static (string Namespace, string Name) Identity(JsonObject obj) =>
        (Text(obj["metadata"]?["namespace"]) ?? "default", Text(obj["metadata"]?["name"]) ?? "");

    internal static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : node is JsonValue other ? other.ToString() : null;

    internal static int? Int(JsonNode? node) => node switch
    {
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        JsonValue v when v.TryGetValue<long>(out var l) => (int)l,
        JsonValue v when v.TryGetValue<double>(out var d) => (int)d,
        JsonValue v when v.TryGetValue<string>(out var s) && int.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed) => parsed,
        _ => null,
    };

    private static IEnumerable<string> Strings(JsonNode? node) =>
        (node as JsonArray ?? []).Select(Text).Where(s => !string.IsNullOrEmpty(s)).Select(s => s!);

    internal static Dictionary<string, string> Labels(JsonNode? node) =>
        node is JsonObject labels
            ? labels.Where(l => l.Value is not null).ToDictionary(l => l.Key, l => Text(l.Value) ?? "", StringComparer.Ordinal)
            : new Dictionary<string, string>(StringComparer.Ordinal);
}
