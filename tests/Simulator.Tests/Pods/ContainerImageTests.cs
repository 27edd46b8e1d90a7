using LabNet.Simulator.Pods;

namespace LabNet.Simulator.Tests.Pods;

/// <summary>What containerd would run for a container spec, and whether that program serves until stopped or ends.</summary>
public sealed class ContainerImageTests
{
    [Theory]
    // The static pods kubeadm writes give the whole command line.
    [InlineData("registry.k8s.io/kube-apiserver:v1.31.4", "kube-apiserver --advertise-address=192.168.64.10", "", "kube-apiserver --advertise-address=192.168.64.10", true)]
    [InlineData("registry.k8s.io/etcd:3.5.15-0", "etcd --data-dir=/var/lib/etcd", "", "etcd --data-dir=/var/lib/etcd", true)]
    [InlineData("registry.k8s.io/kube-scheduler:v1.31.4", "", "", "/usr/local/bin/kube-scheduler", true)]
    // CoreDNS's Deployment gives only args: they follow the image's ENTRYPOINT.
    [InlineData("registry.k8s.io/coredns/coredns:v1.11.3", "", "-conf /etc/coredns/Corefile", "/coredns -conf /etc/coredns/Corefile", true)]
    [InlineData("quay.io/cilium/hubble-ui:v0.13.1", "", "", "nginx -g daemon off;", true)]
    [InlineData("quay.io/cilium/hubble-relay:v1.16.5", "", "", "/usr/local/bin/hubble-relay serve", true)]
    // Envoy is one subcommand of pilot-agent: istio-init's iptables setup ends.
    [InlineData("docker.io/istio/proxyv2:1.24.2", "", "proxy router --domain istio-ingress.svc.cluster.local", "/usr/local/bin/pilot-agent proxy router --domain istio-ingress.svc.cluster.local", true)]
    [InlineData("docker.io/istio/proxyv2:1.24.2", "", "istio-iptables -p 15001", "/usr/local/bin/pilot-agent istio-iptables -p 15001", false)]
    [InlineData("quay.io/keycloak/keycloak:26.1", "", "start-dev", "/opt/keycloak/bin/kc.sh start-dev", true)]
    // A command replaces the server: the container runs it and ends.
    [InlineData("nginx:alpine", "sh -c", "echo hi", "sh -c echo hi", false)]
    [InlineData("busybox", "", "", "sh", false)]
    [InlineData("curlimages/curl", "", "-s http://httpbin.demo/get", "curl -s http://httpbin.demo/get", false)]
    [InlineData("redis:7-alpine", "", "", "redis-server", true)]
    public void The_main_process_follows_the_oci_rules_and_servers_are_the_images_daemons(string image, string command, string args, string expected, bool server)
    {
        var container = ContainerImage.For(image);

        var argv = container.MainProcess(Words(command), Words(args));

        Assert.Equal(expected, string.Join(' ', argv));
        Assert.Equal(server, container.IsServer(argv));
    }

    private static string[] Words(string text) => text.Length == 0 ? [] : text.Split(' ');
}
