using Microsoft.Extensions.Options;

namespace LabNet.CanaryController.Kubernetes;

/// <summary>Checks the <c>CanaryController</c> section at start; every message names the key and the fix.</summary>
public sealed class CanaryControllerOptionsValidator : IValidateOptions<CanaryControllerOptions>
{
    public ValidateOptionsResult Validate(string? name, CanaryControllerOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Kubeconfig))
        {
            failures.Add("CanaryController:Kubeconfig is empty: set it to the kubeconfig of the cluster with the Canaries (e.g. kubeconfig/dev.yaml written by the Provisioner).");
        }
        else if (options.Kubeconfig.IndexOfAny(Path.GetInvalidPathChars()) >= 0 || Directory.Exists(options.Kubeconfig))
        {
            failures.Add($"CanaryController:Kubeconfig '{options.Kubeconfig}' is not a file path: name the kubeconfig file itself (e.g. kubeconfig/dev.yaml).");
        }

        if (!options.FlowCollector.IsAbsoluteUri || options.FlowCollector.Scheme is not ("http" or "https" or "http+https"))
        {
            failures.Add($"CanaryController:FlowCollector '{options.FlowCollector}' must be an absolute http, https or http+https URI (e.g. http+https://flowcollector or http://127.0.0.1:5080).");
        }

        Positive(options.FlowCollectorTimeout, "FlowCollectorTimeout", "00:00:05");
        Positive(options.KubeconfigPollInterval, "KubeconfigPollInterval", "00:00:02");
        Positive(options.WatchRetryDelay, "WatchRetryDelay", "00:00:02");
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);

        void Positive(TimeSpan value, string key, string example)
        {
            if (value <= TimeSpan.Zero)
            {
                failures.Add($"CanaryController:{key} is {value}: it must be positive (e.g. {example}).");
            }
        }
    }
}
