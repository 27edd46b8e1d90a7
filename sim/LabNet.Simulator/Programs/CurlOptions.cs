using System.Globalization;

namespace LabNet.Simulator.Programs;

/// <summary>curl's command line, the options people use in the lab (short flags may be combined: <c>-sSf</c>).</summary>
internal sealed class CurlOptions
{
    public string? Url { get; private set; }

    public bool Silent { get; private set; }

    public bool ShowError { get; private set; }

    public bool Verbose { get; private set; }

    public bool Include { get; private set; }

    public bool Head { get; private set; }

    public bool Fail { get; private set; }

    public string? Output { get; private set; }

    public string? WriteOut { get; private set; }

    public string? Method { get; private set; }

    public string? Data { get; private set; }

    public TimeSpan? MaxTime { get; private set; }

    public TimeSpan? ConnectTimeout { get; private set; }

    public List<KeyValuePair<string, string>> Headers { get; } = [];

    private static readonly HashSet<char> ShortWithValue = ['o', 'w', 'H', 'X', 'd', 'm', 'A', 'u', 'e', 'b', 'x'];

    public static CurlOptions Parse(IReadOnlyList<string> args, out string? error)
    {
        var options = new CurlOptions();
        error = null;
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            string? Value(string name)
            {
                if (i + 1 < args.Count)
                {
                    return args[++i];
                }

                return null;
            }

            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var name = arg[2..];
                string? inline = null;
                var eq = name.IndexOf('=');
                if (eq > 0)
                {
                    inline = name[(eq + 1)..];
                    name = name[..eq];
                }

                if (!options.ApplyLong(name, () => inline ?? Value(name), out error))
                {
                    return options;
                }

                continue;
            }

            if (arg.StartsWith('-') && arg.Length > 1)
            {
                for (var j = 1; j < arg.Length; j++)
                {
                    var flag = arg[j];
                    if (ShortWithValue.Contains(flag))
                    {
                        var value = j + 1 < arg.Length ? arg[(j + 1)..] : Value(flag.ToString());
                        if (value is null)
                        {
                            error = $"option -{flag}: requires parameter";
                            return options;
                        }

                        if (!options.ApplyShort(flag, value, out error))
                        {
                            return options;
                        }

                        break;
                    }

                    if (!options.ApplyShort(flag, null, out error))
                    {
                        return options;
                    }
                }

                continue;
            }

            options.Url ??= arg;
        }

        return options;
    }

    private bool ApplyShort(char flag, string? value, out string? error)
    {
        error = null;
        switch (flag)
        {
            case 's': Silent = true; break;
            case 'S': ShowError = true; break;
            case 'v': Verbose = true; break;
            case 'i': Include = true; break;
            case 'I': Head = true; break;
            case 'f': Fail = true; break;
            case 'L' or 'k' or 'N' or 'q' or '4' or 'g': break;
            case 'o': Output = value; break;
            case 'w': WriteOut = value; break;
            case 'H': AddHeader(value!); break;
            case 'X': Method = value; break;
            case 'd': Data = Data is null ? value : Data + "&" + value; break;
            case 'm': return Seconds(value!, "-m", t => MaxTime = t, out error);
            case 'A': Headers.Add(new("User-Agent", value!)); break;
            case 'u' or 'e' or 'b' or 'x': break;
            default:
                error = $"option -{flag}: is unknown";
                return false;
        }

        return true;
    }

    private bool ApplyLong(string name, Func<string?> value, out string? error)
    {
        error = null;
        string? Required()
        {
            var v = value();
            return v;
        }

        switch (name)
        {
            case "silent": Silent = true; return true;
            case "show-error": ShowError = true; return true;
            case "verbose": Verbose = true; return true;
            case "include": Include = true; return true;
            case "head": Head = true; return true;
            case "fail" or "fail-with-body": Fail = true; return true;
            case "location" or "insecure" or "compressed" or "http1.1" or "no-buffer" or "ipv4" or "globoff" or "no-progress-meter": 
                Silent |= name == "no-progress-meter";
                return true;
        }

        var v = Required();
        if (v is null)
        {
            error = $"option --{name}: requires parameter";
            return false;
        }

        switch (name)
        {
            case "output": Output = v; return true;
            case "write-out": WriteOut = v; return true;
            case "header": AddHeader(v); return true;
            case "request": Method = v; return true;
            case "data" or "data-raw" or "data-binary" or "data-ascii": Data = Data is null ? v : Data + "&" + v; return true;
            case "max-time": return Seconds(v, "--max-time", t => MaxTime = t, out error);
            case "connect-timeout": return Seconds(v, "--connect-timeout", t => ConnectTimeout = t, out error);
            case "user-agent": Headers.Add(new("User-Agent", v)); return true;
            case "retry" or "user" or "cacert" or "resolve" or "proxy": return true;
        }

        error = $"option --{name}: is unknown";
        return false;
    }

    private void AddHeader(string header)
    {
        var colon = header.IndexOf(':');
        if (colon > 0)
        {
            Headers.Add(new(header[..colon].Trim(), header[(colon + 1)..].Trim()));
        }
    }

    private static bool Seconds(string value, string option, Action<TimeSpan> set, out string? error)
    {
        error = null;
        if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds) || seconds < 0)
        {
            error = $"option {option}: expected a proper numerical parameter";
            return false;
        }

        set(TimeSpan.FromSeconds(seconds));
        return true;
    }
}

/// <summary>The parts of a curl URL; a URL without scheme is http, as curl guesses.</summary>
internal sealed record CurlTarget(string Scheme, string Host, int Port, string PathAndQuery, string Normalized)
{
    public string HostHeader => Port == (Scheme == "https" ? 443 : 80) ? Host : $"{Host}:{Port}";

    public static CurlTarget? Parse(string url)
    {
        if (url.Length == 0)
        {
            return null;
        }

        var withScheme = url.Contains("://", StringComparison.Ordinal) ? url : "http://" + url;
        if (!Uri.TryCreate(withScheme, UriKind.Absolute, out var uri) || string.IsNullOrEmpty(uri.Host))
        {
            return null;
        }

        return new CurlTarget(uri.Scheme, uri.Host, uri.Port, uri.PathAndQuery, withScheme);
    }
}
