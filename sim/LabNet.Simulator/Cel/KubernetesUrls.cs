using System.Text;

namespace LabNet.Simulator.Cel;

/// <summary>
/// Kubernetes' URL library: <c>url(s)</c> and <c>isURL(s)</c> with Go's <c>url.ParseRequestURI</c> rules (an absolute
/// URL or an absolute path), and <c>getScheme</c>, <c>getHost</c>, <c>getHostname</c>, <c>getPort</c>,
/// <c>getEscapedPath</c>, <c>getQuery</c>.
/// </summary>
public sealed class KubernetesUrls : ICelLibrary
{
    public IReadOnlySet<string> GlobalFunctions { get; } = new HashSet<string>();

    public object? Invoke(string function, object? target, object[] args)
    {
        if (target is null)
        {
            return (function, args) switch
            {
                ("url", [string s]) => CelUrl.TryParse(s, out var url, out var error) ? url : new CelError($"URL parse error during conversion from string: {error}"),
                ("isURL", [string s]) => CelUrl.TryParse(s, out _, out _),
                _ => null,
            };
        }

        if (target is not CelUrl u || args.Length != 0)
        {
            return null;
        }

        return function switch
        {
            "getScheme" => u.Scheme,
            "getHost" => u.Host,
            "getHostname" => u.Hostname,
            "getPort" => u.Port,
            "getEscapedPath" => u.EscapedPath,
            "getQuery" => u.Query(),
            _ => null,
        };
    }
}

/// <summary>A parsed URL, as Go's <c>net/url</c> splits it.</summary>
public sealed record CelUrl(string Text, string Scheme, string Host, string Path, string RawQuery) : ICelObject
{
    public CelType Type { get; } = new("kubernetes.URL");

    public string Hostname => Host.StartsWith('[') && Host.IndexOf(']') is var close and > 0
        ? Host[1..close]
        : Host.LastIndexOf(':') is var colon and >= 0 ? Host[..colon] : Host;

    public string Port => Host.StartsWith('[')
        ? Host.IndexOf("]:", StringComparison.Ordinal) is var at and >= 0 ? Host[(at + 2)..] : ""
        : Host.LastIndexOf(':') is var colon and >= 0 ? Host[(colon + 1)..] : "";

    /// <summary>The path with what a path segment may not contain percent-encoded (Go's <c>EscapedPath</c>).</summary>
    public string EscapedPath
    {
        get
        {
            var builder = new StringBuilder();
            foreach (var b in Encoding.UTF8.GetBytes(Path))
            {
                var c = (char)b;
                if (char.IsAsciiLetterOrDigit(c) || "-_.~$&+,/:;=@!*'()".Contains(c))
                {
                    builder.Append(c);
                }
                else
                {
                    builder.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                }
            }

            return builder.ToString();
        }
    }

    public CelMap Query()
    {
        var values = new Dictionary<string, List<object>>();
        var order = new List<string>();
        foreach (var pair in RawQuery.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=');
            var key = Unescape(eq < 0 ? pair : pair[..eq]);
            var value = eq < 0 ? "" : Unescape(pair[(eq + 1)..]);
            if (!values.TryGetValue(key, out var list))
            {
                values[key] = list = [];
                order.Add(key);
            }

            list.Add(value);
        }

        var map = new CelMap();
        foreach (var key in order)
        {
            map.TryAdd(key, new CelList(values[key]));
        }

        return map;
    }

    private static string Unescape(string s) => Uri.UnescapeDataString(s.Replace('+', ' '));

    public static bool TryParse(string text, out CelUrl url, out string error)
    {
        url = null!;
        error = $"parse \"{text}\": invalid URI for request";
        if (text.Length == 0 || text.Any(c => c < 0x20 || c == 0x7f))
        {
            error = text.Length == 0 ? "parse \"\": empty url" : $"parse \"{text}\": net/url: invalid control character in URL";
            return false;
        }

        var rest = text;
        var scheme = "";
        var colon = rest.IndexOf(':');
        if (colon > 0 && char.IsAsciiLetter(rest[0]) && rest[..colon].All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.'))
        {
            scheme = rest[..colon].ToLowerInvariant();
            rest = rest[(colon + 1)..];
        }
        else if (colon == 0)
        {
            error = $"parse \"{text}\": missing protocol scheme";
            return false;
        }

        var query = "";
        var q = rest.IndexOf('?');
        if (q >= 0)
        {
            query = rest[(q + 1)..];
            rest = rest[..q];
        }

        if (!rest.StartsWith('/'))
        {
            if (scheme.Length == 0)
            {
                return false;
            }

            url = new CelUrl(text, scheme, "", "", query);
            return true;
        }

        var host = "";
        if (scheme.Length > 0 && rest.StartsWith("//", StringComparison.Ordinal))
        {
            var authority = rest[2..];
            var slash = authority.IndexOf('/');
            rest = slash < 0 ? "" : authority[slash..];
            authority = slash < 0 ? authority : authority[..slash];
            host = authority[(authority.LastIndexOf('@') + 1)..];
            if (host.StartsWith('[') && host.IndexOf(']') < 0)
            {
                error = $"parse \"{text}\": missing ']' in host";
                return false;
            }
        }

        url = new CelUrl(text, scheme, host, Uri.UnescapeDataString(rest), query);
        return true;
    }

    public override string ToString() => Text;
}
