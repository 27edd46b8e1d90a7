using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace LabNet.FlowCollector;

/// <summary>Checks the relay addresses at start-up and names the key and the fix for each problem.</summary>
public sealed partial class FlowCollectorOptionsValidator : IValidateOptions<FlowCollectorOptions>
{
    public ValidateOptionsResult Validate(string? name, FlowCollectorOptions options)
    {
        var failures = new List<string>();
        foreach (var (cluster, address) in options.Relays)
        {
            var key = $"{FlowCollectorOptions.SectionName}:Relays:{cluster}";
            if (!ClusterName().IsMatch(cluster))
            {
                failures.Add($"{key}: '{cluster}' is not a cluster name (lower-case letters, digits and '-', as in clusters.json).");
            }

            if (!Uri.TryCreate(address, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || uri.AbsolutePath != "/" || uri.Port <= 0)
            {
                failures.Add($"{key}: '{address}' is not a relay address; use http://HOST:PORT (e.g. http://127.0.0.1:4245), or https:// for a TLS relay.");
            }
        }

        if (options.InitialReconnectDelay <= TimeSpan.Zero || options.MaxReconnectDelay < options.InitialReconnectDelay)
        {
            failures.Add($"{FlowCollectorOptions.SectionName}:InitialReconnectDelay must be positive and not above MaxReconnectDelay "
                         + $"(got {options.InitialReconnectDelay} and {options.MaxReconnectDelay}).");
        }

        if (options.KubeconfigScanInterval <= TimeSpan.Zero)
        {
            failures.Add($"{FlowCollectorOptions.SectionName}:KubeconfigScanInterval must be positive (got {options.KubeconfigScanInterval}).");
        }

        if (options.ResumeOverlap < TimeSpan.Zero)
        {
            failures.Add($"{FlowCollectorOptions.SectionName}:ResumeOverlap must not be negative (got {options.ResumeOverlap}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex ClusterName();
}
