using System.Net;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace LabNet.Simulator.Host;

/// <summary>
/// The simulator only ever listens on loopback. Configured URLs are checked before Kestrel binds (a bad one stops the
/// start with a message that names the setting), and the addresses actually bound are checked once it started.
/// </summary>
public static class LoopbackOnly
{
    /// <summary>Every configured listen address that is not loopback, with the setting it came from.</summary>
    public static IReadOnlyList<string> Violations(IConfiguration configuration)
    {
        var problems = new List<string>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        // The host maps ASPNETCORE_URLS to "urls"; the raw variable may be visible too: report each address once.
        foreach (var key in new[] { "urls", "ASPNETCORE_URLS" })
        {
            foreach (var url in (configuration[key] ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!IsLoopbackUrl(url) && seen.Add(url))
                {
                    problems.Add($"'{key}' contains '{url}'");
                }
            }
        }

        foreach (var key in new[] { "http_ports", "https_ports", "ASPNETCORE_HTTP_PORTS", "ASPNETCORE_HTTPS_PORTS" })
        {
            var ports = configuration[key];
            if (!string.IsNullOrWhiteSpace(ports) && string.IsNullOrWhiteSpace(configuration["urls"]) && seen.Add("ports:" + ports))
            {
                problems.Add($"'{key}' is '{ports}', which binds every interface");
            }
        }

        foreach (var endpoint in configuration.GetSection("Kestrel:Endpoints").GetChildren())
        {
            var url = endpoint["Url"];
            if (url is not null && !IsLoopbackUrl(url))
            {
                problems.Add($"'Kestrel:Endpoints:{endpoint.Key}:Url' is '{url}'");
            }
        }

        return problems;
    }

    public static bool IsLoopbackUrl(string url)
    {
        // Kestrel accepts wildcards that are not valid URIs ("http://*:80", "http://+:80").
        var host = url;
        var scheme = host.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
        {
            host = host[(scheme + 3)..];
        }

        var slash = host.IndexOf('/');
        if (slash >= 0)
        {
            host = host[..slash];
        }

        if (host.StartsWith('['))
        {
            host = host[1..host.IndexOf(']')];
        }
        else if (host.LastIndexOf(':') is var colon and > 0)
        {
            host = host[..colon];
        }

        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || (IPAddress.TryParse(host, out var ip) && IPAddress.IsLoopback(ip));
    }

    /// <summary>Refuses to start on a non-loopback configuration; after start, stops if a non-loopback address got bound.</summary>
    public static WebApplicationBuilder RequireLoopbackOnly(this WebApplicationBuilder builder)
    {
        var problems = Violations(builder.Configuration);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                "The LabNet simulator only listens on 127.0.0.1 (or localhost) and refuses to start: " + string.Join("; ", problems) +
                ". Fix: use http://127.0.0.1:PORT (e.g. --urls http://127.0.0.1:5200 or ASPNETCORE_URLS=http://127.0.0.1:5200).");
        }

        builder.Services.AddHostedService<BoundAddressCheck>();
        return builder;
    }

    private sealed class BoundAddressCheck(IServer server, IHostApplicationLifetime lifetime, ILogger<BoundAddressCheck> logger) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            lifetime.ApplicationStarted.Register(() =>
            {
                var bound = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
                var bad = bound.Where(a => !IsLoopbackUrl(a)).ToList();
                if (bad.Count > 0)
                {
                    logger.LogCritical("The simulator got bound to non-loopback addresses {Addresses}; stopping. Listen on http://127.0.0.1:PORT only.", string.Join(", ", bad));
                    lifetime.StopApplication();
                }
            });
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
