using System.Text.RegularExpressions;
using LabNet.Simulator.Guest;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Kubeadm;

/// <summary>
/// What the kubelet on a control plane makes of its static pod manifests and certificates after a (re)start: the API
/// serves only if etcd can bind its address, the apiserver's liveness probe reaches its advertise address, and the
/// serving certificate names the address clients use.
/// </summary>
public static partial class ControlPlaneHealth
{
    public static ApiServerAvailability Evaluate(GuestOs guest, string? address)
    {
        if (address is null)
        {
            return ApiServerAvailability.Down("the control plane VM has no IP address (its DHCP lease never came)");
        }

        var apiserver = guest.ReadFile($"{ControlPlaneFiles.ManifestsDir}/kube-apiserver.yaml");
        if (apiserver is null)
        {
            return ApiServerAvailability.Down("dial tcp " + address + ":6443: connect: connection refused (no kube-apiserver static pod manifest in /etc/kubernetes/manifests)");
        }

        var etcd = guest.ReadFile($"{ControlPlaneFiles.ManifestsDir}/etcd.yaml");
        var peer = etcd is null ? null : PeerUrl().Match(etcd) is { Success: true } m ? m.Groups[1].Value : null;
        if (etcd is null)
        {
            return ApiServerAvailability.Down("kube-apiserver is in CrashLoopBackOff: dial tcp 127.0.0.1:2379: connect: connection refused (no etcd static pod manifest)");
        }

        if (peer != address)
        {
            return ApiServerAvailability.Down(
                $"etcd is in CrashLoopBackOff: listen tcp {peer}:2380: bind: cannot assign requested address; " +
                "kube-apiserver is in CrashLoopBackOff: dial tcp 127.0.0.1:2379: connect: connection refused");
        }

        var advertise = AdvertiseAddress().Match(apiserver) is { Success: true } a ? a.Groups[1].Value : null;
        if (advertise != address)
        {
            return ApiServerAvailability.Down(
                $"kube-apiserver is in CrashLoopBackOff: its liveness probe https://{advertise}:6443/livez fails (dial tcp {advertise}:6443: connect: no route to host)");
        }

        var certificate = guest.ReadFile($"{ControlPlaneFiles.PkiDir}/apiserver.crt");
        if (certificate is null)
        {
            return ApiServerAvailability.Down("kube-apiserver is in CrashLoopBackOff: open /etc/kubernetes/pki/apiserver.crt: no such file or directory");
        }

        var sans = Pki.IpAddresses(certificate);
        if (!sans.Contains(address))
        {
            return ApiServerAvailability.Down(
                $"tls: failed to verify certificate: x509: certificate is valid for {string.Join(", ", sans)}, not {address}");
        }

        return ApiServerAvailability.Up;
    }

    /// <summary>The API server address a kubelet.conf names (https://IP:6443), if any.</summary>
    public static string? ServerAddress(string? kubeconfig) =>
        kubeconfig is not null && KubeconfigServer().Match(kubeconfig) is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex(@"--listen-peer-urls=https://([0-9.]+):2380")]
    private static partial Regex PeerUrl();

    [GeneratedRegex(@"--advertise-address=([0-9.]+)")]
    private static partial Regex AdvertiseAddress();

    [GeneratedRegex(@"server:\s*https://([0-9.]+):6443")]
    private static partial Regex KubeconfigServer();
}
