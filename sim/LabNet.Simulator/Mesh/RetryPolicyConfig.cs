namespace LabNet.Simulator.Mesh;

/// <summary>
/// A route's <c>retries</c>, or Istio's default when the route has none: 2 retries on
/// <c>connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes</c> with retriable status 503, each
/// retry preferring a host not tried yet (previous_hosts, up to 5 picks), after Envoy's jittered back-off (base 25 ms).
/// </summary>
public sealed record RetryPolicyConfig(int Attempts, IReadOnlySet<string> RetryOn, IReadOnlySet<int> StatusCodes, TimeSpan? PerTryTimeout)
{
    public const string DefaultRetryOn = "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes";

    public static RetryPolicyConfig IstioDefault { get; } = Parse(2, DefaultRetryOn, null);

    /// <summary>
    /// <paramref name="retryOn"/> as Istio takes it: Envoy's conditions, with bare status codes going to the retriable
    /// status codes (and turning on <c>retriable-status-codes</c>). Istio always retries 503 under that condition.
    /// </summary>
    public static RetryPolicyConfig Parse(int attempts, string? retryOn, TimeSpan? perTryTimeout)
    {
        var conditions = new HashSet<string>(StringComparer.Ordinal);
        var codes = new HashSet<int> { 503 };
        foreach (var part in (retryOn ?? DefaultRetryOn).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (int.TryParse(part, out var code))
            {
                codes.Add(code);
                conditions.Add("retriable-status-codes");
            }
            else
            {
                conditions.Add(part);
            }
        }

        return new RetryPolicyConfig(Math.Max(0, attempts), conditions, codes, perTryTimeout);
    }

    /// <summary>Whether Envoy's router retries after this attempt.</summary>
    public bool Retries(MeshResponse attempt)
    {
        if (Attempts == 0 || attempt.Outcome != PodHttpOutcome.Response)
        {
            return false;
        }

        return attempt.Failure switch
        {
            MeshFailure.ConnectFailure => RetryOn.Contains("connect-failure") || RetryOn.Contains("5xx") || RetryOn.Contains("gateway-error"),
            MeshFailure.Reset => RetryOn.Contains("reset") || RetryOn.Contains("5xx"),
            MeshFailure.Timeout => false,
            _ => (attempt.Status >= 500 && RetryOn.Contains("5xx"))
                || (attempt.Status is 502 or 503 or 504 && RetryOn.Contains("gateway-error"))
                || (attempt.Status == 409 && RetryOn.Contains("retriable-4xx"))
                || (RetryOn.Contains("retriable-status-codes") && StatusCodes.Contains(attempt.Status)),
        };
    }
}
