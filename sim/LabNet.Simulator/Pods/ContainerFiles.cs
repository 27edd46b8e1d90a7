using System.Globalization;
using System.Net;

namespace LabNet.Simulator.Pods;

/// <summary>The files of a container that the kubelet writes (resolv.conf, hosts, hostname) and a few of the image's.</summary>
public static class ContainerFiles
{
    /// <summary>The file's content, or null when the container has no such file.</summary>
    public static string? Read(PodProcess process, string path) => path switch
    {
        "/etc/resolv.conf" => ResolvConf(process),
        "/etc/hostname" => process.Hostname + "\n",
        "/etc/hosts" => Hosts(process),
        "/etc/os-release" => OsRelease(process.Image),
        "/var/run/secrets/kubernetes.io/serviceaccount/namespace" => process.Namespace,
        _ => null,
    };

    /// <summary>
    /// What the kubelet writes for dnsPolicy ClusterFirst: kube-dns's ClusterIP, the namespace's search path, ndots 5.
    /// Host-network pods (dnsPolicy ClusterFirst falls back to Default) get the node's resolver (systemd-resolved on Ubuntu).
    /// </summary>
    public static string ResolvConf(PodProcess process)
    {
        if (!Kubernetes.ObjectFacts.UsesClusterDns(process.Pod))
        {
            return "nameserver 127.0.0.53\noptions edns0 trust-ad\nsearch .\n";
        }

        return $"search {process.Namespace}.svc.cluster.local svc.cluster.local cluster.local\nnameserver {KubeDnsAddress(process)}\noptions ndots:5\n";
    }

    /// <summary>kube-dns's ClusterIP: the Service's, else the tenth address of the service CIDR (kubeadm's clusterDNS).</summary>
    public static string KubeDnsAddress(PodProcess process)
    {
        if (process.Cluster.Get("v1", "Service", "kube-system", "kube-dns")?["spec"]?["clusterIP"]?.GetValue<string>() is { Length: > 0 } ip)
        {
            return ip;
        }

        if (IPNetwork.TryParse(process.Cluster.Bootstrap.ServiceCidr, out var network))
        {
            var bytes = network.BaseAddress.GetAddressBytes();
            bytes[^1] = (byte)(bytes[^1] + 10);
            return new IPAddress(bytes).ToString();
        }

        return "10.96.0.10";
    }

    private static string Hosts(PodProcess process)
    {
        var hosts = "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\nfe00::0\tip6-localnet\nfe00::0\tip6-mcastprefix\nfe00::1\tip6-allnodes\nfe00::2\tip6-allrouters\n";
        if (!process.HostNetwork && process.PodIp is { } ip)
        {
            hosts += string.Create(CultureInfo.InvariantCulture, $"{ip}\t{process.PodName}\n");
        }

        return hosts;
    }

    private static string OsRelease(ContainerImage image) =>
        image.Has("ash")
            ? "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.20.3\nPRETTY_NAME=\"Alpine Linux v3.20\"\nHOME_URL=\"https://alpinelinux.org/\"\nBUG_REPORT_URL=\"https://gitlab.alpinelinux.org/alpine/aports/-/issues\"\n"
            : "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION=\"12 (bookworm)\"\nVERSION_CODENAME=bookworm\nID=debian\nHOME_URL=\"https://www.debian.org/\"\nSUPPORT_URL=\"https://www.debian.org/support\"\nBUG_REPORT_URL=\"https://bugs.debian.org/\"\n";
}
