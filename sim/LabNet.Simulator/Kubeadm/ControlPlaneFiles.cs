using System.Text;
using LabNet.Simulator.Guest;

namespace LabNet.Simulator.Kubeadm;

/// <summary>What kubeadm needs to know to write a control plane's certificates, kubeconfigs and static pod manifests.</summary>
public sealed record ControlPlaneSpec(string NodeName, string AdvertiseAddress, string ServiceCidr, string PodCidr, string KubernetesVersion, IReadOnlyList<string> ExtraSans);

/// <summary>
/// The files kubeadm writes on a control plane: /etc/kubernetes/pki (real certificates), the kubeconfigs and the static
/// pod manifests. The kubelet model reads them back, so sed, rm and the cert phases change the cluster's behaviour.
/// </summary>
public static class ControlPlaneFiles
{
    public const string PkiDir = "/etc/kubernetes/pki";
    public const string ManifestsDir = "/etc/kubernetes/manifests";

    public static readonly string[] CertificatePhases =
        ["ca", "apiserver", "apiserver-kubelet-client", "front-proxy-ca", "front-proxy-client", "etcd-ca", "etcd-server", "etcd-peer", "etcd-healthcheck-client", "apiserver-etcd-client", "sa"];

    public static readonly string[] KubeconfigPhases = ["admin", "super-admin", "kubelet", "controller-manager", "scheduler"];

    /// <summary>Runs one <c>certs</c> phase; writes its <c>[certs]</c> lines; returns an error message or null.</summary>
    public static string? Certificate(GuestOs guest, string phase, ControlPlaneSpec spec, DateTimeOffset now, TextWriter output)
    {
        switch (phase)
        {
            case "ca" or "front-proxy-ca" or "etcd-ca":
            {
                var (path, cn) = phase switch
                {
                    "ca" => ("ca", "kubernetes"),
                    "front-proxy-ca" => ("front-proxy-ca", "front-proxy-ca"),
                    _ => ("etcd/ca", "etcd-ca"),
                };
                if (guest.FileExists($"{PkiDir}/{path}.crt"))
                {
                    output.WriteLine($"[certs] Using existing {phase} certificate authority");
                    return null;
                }

                output.WriteLine($"[certs] Generating \"{path}\" certificate and key");
                Write(guest, path, Pki.CreateAuthority(cn, now));
                return null;
            }

            case "sa":
                if (guest.FileExists($"{PkiDir}/sa.key"))
                {
                    output.WriteLine("[certs] Using the existing \"sa\" key");
                    return null;
                }

                output.WriteLine("[certs] Generating \"sa\" key and public key");
                var sa = Pki.CreateAuthority("service-accounts", now);
                guest.WriteFile($"{PkiDir}/sa.key", sa.KeyPem);
                guest.WriteFile($"{PkiDir}/sa.pub", sa.CertificatePem);
                return null;
        }

        var leaf = phase switch
        {
            "apiserver" => (Path: "apiserver", Ca: "ca", Subject: "CN=kube-apiserver", Dns: ApiServerDns(spec), Ips: ApiServerIps(spec), Server: true, Client: false),
            "apiserver-kubelet-client" => ("apiserver-kubelet-client", "ca", "CN=kube-apiserver-kubelet-client, O=kubeadm:cluster-admins", [], [], false, true),
            "front-proxy-client" => ("front-proxy-client", "front-proxy-ca", "CN=front-proxy-client", [], [], false, true),
            "etcd-server" => ("etcd/server", "etcd/ca", $"CN={spec.NodeName}", EtcdDns(spec), EtcdIps(spec), true, true),
            "etcd-peer" => ("etcd/peer", "etcd/ca", $"CN={spec.NodeName}", EtcdDns(spec), EtcdIps(spec), true, true),
            "etcd-healthcheck-client" => ("etcd/healthcheck-client", "etcd/ca", "CN=kube-etcd-healthcheck-client", [], [], false, true),
            "apiserver-etcd-client" => ("apiserver-etcd-client", "etcd/ca", "CN=kube-apiserver-etcd-client", [], [], false, true),
            _ => ((string Path, string Ca, string Subject, string[] Dns, string[] Ips, bool Server, bool Client)?)null,
        };

        if (leaf is not { } cert)
        {
            return $"invalid subcommand \"{phase}\"";
        }

        if (guest.FileExists($"{PkiDir}/{cert.Path}.crt"))
        {
            output.WriteLine($"[certs] Using existing {phase} certificate and key on disk");
            return null;
        }

        var authority = Read(guest, cert.Ca);
        if (authority is null)
        {
            return $"couldn't load CA certificate {cert.Ca.Replace('/', '-')}: couldn't load the certificate file {PkiDir}/{cert.Ca}.crt: open {PkiDir}/{cert.Ca}.crt: no such file or directory";
        }

        output.WriteLine($"[certs] Generating \"{cert.Path}\" certificate and key");
        if (cert.Server)
        {
            output.WriteLine($"[certs] {cert.Path} serving cert is signed for DNS names [{string.Join(' ', cert.Dns)}] and IPs [{string.Join(' ', cert.Ips)}]");
        }

        Write(guest, cert.Path, Pki.Issue(authority, cert.Subject, cert.Dns, cert.Ips, cert.Server, cert.Client, now));
        return null;
    }

    private static string[] ApiServerDns(ControlPlaneSpec spec) =>
        [spec.NodeName, "kubernetes", "kubernetes.default", "kubernetes.default.svc", "kubernetes.default.svc.cluster.local", .. spec.ExtraSans.Where(s => !System.Net.IPAddress.TryParse(s, out _))];

    private static string[] ApiServerIps(ControlPlaneSpec spec) =>
        new[] { ClusterObjects.AddressIn(spec.ServiceCidr, 1), spec.AdvertiseAddress }
            .Concat(spec.ExtraSans.Where(s => System.Net.IPAddress.TryParse(s, out _)))
            .Distinct()
            .ToArray();

    private static string[] EtcdDns(ControlPlaneSpec spec) => [spec.NodeName, "localhost"];

    private static string[] EtcdIps(ControlPlaneSpec spec) => [spec.AdvertiseAddress, "127.0.0.1", "::1"];

    public static CertificatePair? Read(GuestOs guest, string path) =>
        guest.ReadFile($"{PkiDir}/{path}.crt") is { } cert && guest.ReadFile($"{PkiDir}/{path}.key") is { } key ? new CertificatePair(cert, key) : null;

    private static void Write(GuestOs guest, string path, CertificatePair pair)
    {
        guest.WriteFile($"{PkiDir}/{path}.crt", pair.CertificatePem);
        guest.WriteFile($"{PkiDir}/{path}.key", pair.KeyPem);
    }

    /// <summary>Runs one <c>kubeconfig</c> phase: writes /etc/kubernetes/&lt;name&gt;.conf naming <paramref name="server"/>.</summary>
    public static string? Kubeconfig(GuestOs guest, string phase, string nodeName, string server, DateTimeOffset now, TextWriter output)
    {
        var file = $"/etc/kubernetes/{phase}.conf";
        if (guest.FileExists(file))
        {
            output.WriteLine($"[kubeconfig] Using existing kubeconfig file: \"{file}\"");
            return null;
        }

        var authority = Read(guest, "ca");
        if (authority is null)
        {
            return $"couldn't create a kubeconfig; the CA files couldn't be loaded: failed to load certificate: couldn't load the certificate file {PkiDir}/ca.crt: open {PkiDir}/ca.crt: no such file or directory";
        }

        var (user, subject) = phase switch
        {
            "admin" => ("kubernetes-admin", "CN=kubernetes-admin, O=kubeadm:cluster-admins"),
            "super-admin" => ("kubernetes-super-admin", "CN=kubernetes-super-admin, O=system:masters"),
            "kubelet" => ($"system:node:{nodeName}", $"CN=system:node:{nodeName}, O=system:nodes"),
            "controller-manager" => ("system:kube-controller-manager", "CN=system:kube-controller-manager"),
            _ => ("system:kube-scheduler", "CN=system:kube-scheduler"),
        };
        output.WriteLine($"[kubeconfig] Writing \"{phase}.conf\" kubeconfig file");
        guest.WriteFile(file, KubeconfigText(server, authority.CertificatePem, user, Pki.Issue(authority, subject, [], [], false, true, now)));
        return null;
    }

    public static string KubeconfigText(string server, string caPem, string user, CertificatePair client)
    {
        static string B64(string text) => Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
        return $"""
            apiVersion: v1
            clusters:
            - cluster:
                certificate-authority-data: {B64(caPem)}
                server: {server}
              name: kubernetes
            contexts:
            - context:
                cluster: kubernetes
                user: {user}
              name: {user}@kubernetes
            current-context: {user}@kubernetes
            kind: Config
            preferences: {"{}"}
            users:
            - name: {user}
              user:
                client-certificate-data: {B64(client.CertificatePem)}
                client-key-data: {B64(client.KeyPem)}

            """;
    }

    /// <summary>The four static pod manifests, with the advertise address where kubeadm puts it.</summary>
    public static void WriteManifests(GuestOs guest, ControlPlaneSpec spec)
    {
        var ip = spec.AdvertiseAddress;
        var image = $"registry.k8s.io/kube-apiserver:{spec.KubernetesVersion}";
        guest.WriteFile($"{ManifestsDir}/etcd.yaml", $"""
            apiVersion: v1
            kind: Pod
            metadata:
              annotations:
                kubeadm.kubernetes.io/etcd.advertise-client-urls: https://{ip}:2379
              labels:
                component: etcd
                tier: control-plane
              name: etcd
              namespace: kube-system
            spec:
              containers:
              - command:
                - etcd
                - --advertise-client-urls=https://{ip}:2379
                - --cert-file=/etc/kubernetes/pki/etcd/server.crt
                - --data-dir=/var/lib/etcd
                - --initial-advertise-peer-urls=https://{ip}:2380
                - --initial-cluster={spec.NodeName}=https://{ip}:2380
                - --key-file=/etc/kubernetes/pki/etcd/server.key
                - --listen-client-urls=https://127.0.0.1:2379,https://{ip}:2379
                - --listen-peer-urls=https://{ip}:2380
                - --name={spec.NodeName}
                image: registry.k8s.io/etcd:3.5.15-0
                name: etcd
              hostNetwork: true
              priorityClassName: system-node-critical

            """);
        guest.WriteFile($"{ManifestsDir}/kube-apiserver.yaml", $"""
            apiVersion: v1
            kind: Pod
            metadata:
              annotations:
                kubeadm.kubernetes.io/kube-apiserver.advertise-address.endpoint: {ip}:6443
              labels:
                component: kube-apiserver
                tier: control-plane
              name: kube-apiserver
              namespace: kube-system
            spec:
              containers:
              - command:
                - kube-apiserver
                - --advertise-address={ip}
                - --allow-privileged=true
                - --authorization-mode=Node,RBAC
                - --client-ca-file=/etc/kubernetes/pki/ca.crt
                - --etcd-servers=https://127.0.0.1:2379
                - --secure-port=6443
                - --service-cluster-ip-range={spec.ServiceCidr}
                - --tls-cert-file=/etc/kubernetes/pki/apiserver.crt
                - --tls-private-key-file=/etc/kubernetes/pki/apiserver.key
                image: {image}
                livenessProbe:
                  httpGet:
                    host: {ip}
                    path: /livez
                    port: 6443
                    scheme: HTTPS
                name: kube-apiserver
              hostNetwork: true
              priorityClassName: system-node-critical

            """);
        guest.WriteFile($"{ManifestsDir}/kube-controller-manager.yaml", $"""
            apiVersion: v1
            kind: Pod
            metadata:
              labels:
                component: kube-controller-manager
                tier: control-plane
              name: kube-controller-manager
              namespace: kube-system
            spec:
              containers:
              - command:
                - kube-controller-manager
                - --allocate-node-cidrs=true
                - --cluster-cidr={spec.PodCidr}
                - --kubeconfig=/etc/kubernetes/controller-manager.conf
                - --service-cluster-ip-range={spec.ServiceCidr}
                image: registry.k8s.io/kube-controller-manager:{spec.KubernetesVersion}
                name: kube-controller-manager
              hostNetwork: true

            """);
        guest.WriteFile($"{ManifestsDir}/kube-scheduler.yaml", $"""
            apiVersion: v1
            kind: Pod
            metadata:
              labels:
                component: kube-scheduler
                tier: control-plane
              name: kube-scheduler
              namespace: kube-system
            spec:
              containers:
              - command:
                - kube-scheduler
                - --kubeconfig=/etc/kubernetes/scheduler.conf
                image: registry.k8s.io/kube-scheduler:{spec.KubernetesVersion}
                name: kube-scheduler
              hostNetwork: true

            """);
    }
}
