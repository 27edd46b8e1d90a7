namespace LabNet.Simulator.Guest;

/// <summary>Name lookups the way glibc reads /etc/hosts (first matching line wins; comments ignored).</summary>
public static class HostsFile
{
    public static string? Resolve(string? hostsFile, string name)
    {
        foreach (var line in (hostsFile ?? "").Split('\n'))
        {
            var fields = line.Split('#')[0].Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 2 && fields.Skip(1).Any(f => string.Equals(f, name, StringComparison.OrdinalIgnoreCase)))
            {
                return fields[0];
            }
        }

        return name == "localhost" ? "127.0.0.1" : null;
    }
}
