namespace LabNet.Simulator.Traffic;

/// <summary>The demo's flows (tart-infra-original.md §3): what the lab's traffic looks like, including what policy refuses.</summary>
public static class TrafficScenarios
{
    public const string ExternalToNginx = "external-to-nginx";
    public const string NginxToHttpbin = "nginx-to-httpbin";
    public const string NginxToRedis = "nginx-to-redis";
    public const string KeycloakToPostgres = "keycloak-to-postgres";
    public const string Dns = "dns";
    public const string NginxPostToHttpbin = "nginx-post-to-httpbin";
    public const string RedisToHttpbin = "redis-to-httpbin";
    public const string UnlabeledToHttpbin = "unlabeled-to-httpbin";

    public static IReadOnlyList<string> All { get; } =
        [ExternalToNginx, NginxToHttpbin, NginxToRedis, KeycloakToPostgres, Dns, NginxPostToHttpbin, RedisToHttpbin, UnlabeledToHttpbin];
}
