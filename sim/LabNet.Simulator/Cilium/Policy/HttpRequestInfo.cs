namespace LabNet.Simulator.Cilium.Policy;

/// <summary>
/// What Cilium's L7 proxy sees of an HTTP request: method, path (with the query string, as Envoy's <c>:path</c>), host
/// (<c>:authority</c>) and headers.
/// </summary>
public sealed record HttpRequestInfo(string Method, string Path, string Host = "", IReadOnlyDictionary<string, string>? Headers = null)
{
    public bool TryGetHeader(string name, out string value)
    {
        if (Headers is not null)
        {
            foreach (var (key, candidate) in Headers)
            {
                // HTTP header names are case-insensitive (Envoy lower-cases them).
                if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase))
                {
                    value = candidate;
                    return true;
                }
            }
        }

        value = "";
        return false;
    }
}
