using System.Text;

namespace LabNet.Simulator.Pods;

/// <summary>
/// busybox <c>nslookup NAME [SERVER]</c>: asks kube-dns (<see cref="Mesh.IClusterDns"/>) with the pod's search path and
/// prints busybox's format; an unknown name is <c>** server can't find NAME: NXDOMAIN</c> and exit 1.
/// </summary>
internal sealed class NslookupCommand : IPodCommand
{
    public IReadOnlyList<string> Names { get; } = ["nslookup"];

    public async Task<int> RunAsync(PodCommandCall call)
    {
        var args = call.Args.Where(a => !a.StartsWith('-')).ToList();
        if (args.Count == 0)
        {
            await call.Stderr.WriteAsync("BusyBox v1.36.1 (2024-06-10 07:11:47 UTC) multi-call binary.\n\nUsage: nslookup [-type=QUERY_TYPE] [-debug] HOST [DNS_SERVER]\n\nQuery DNS about HOST\n\nQUERY_TYPE: soa,ns,a,aaaa,cname,mx,txt,ptr,srv,any\n");
            return 1;
        }

        var name = args[0];
        var server = args.Count > 1 ? args[1] : ContainerFiles.KubeDnsAddress(call.Process);
        var dns = call.Process.Services.Dns;
        var header = $"Server:\t\t{server}\nAddress:\t{server}:53\n\n";
        if (dns is null)
        {
            // No resolver answers: busybox retries, then gives up.
            await call.Elapse(TimeSpan.FromSeconds(15), capped: true);
            await call.Stdout.WriteAsync($";; connection timed out; no servers could be reached\n\n");
            return 1;
        }

        await call.Elapse(TimeSpan.FromMilliseconds(3), capped: true);
        var answer = dns.Resolve(call.Process.ClusterName, call.Process.Namespace, name);
        var text = new StringBuilder(header);
        if (!answer.Found)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"** server can't find {name}: NXDOMAIN\n\n");
            await call.Stdout.WriteAsync(text.ToString());
            return 1;
        }

        text.Append(System.Globalization.CultureInfo.InvariantCulture, $"Name:\t{answer.CanonicalName}\n");
        foreach (var address in answer.Addresses)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"Address: {address}\n");
        }

        text.Append('\n');
        await call.Stdout.WriteAsync(text.ToString());
        return 0;
    }
}
