using LabNet.Simulator.Tests.Kubernetes;

namespace LabNet.Simulator.Tests.Metrics;

/// <summary>metrics-server as the chart installs it (Service, Deployment, APIService), applied with the real kubectl.</summary>
internal static class MetricsServer
{
    public static string Manifest(bool insecureTls = true) => $$"""
        apiVersion: v1
        kind: Service
        metadata:
          name: metrics-server
          namespace: kube-system
          labels: {app.kubernetes.io/name: metrics-server}
        spec:
          selector: {app.kubernetes.io/name: metrics-server}
          ports:
          - {name: https, port: 443, targetPort: 10250}
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: metrics-server
          namespace: kube-system
        spec:
          selector:
            matchLabels: {app.kubernetes.io/name: metrics-server}
          template:
            metadata:
              labels: {app.kubernetes.io/name: metrics-server}
            spec:
              containers:
              - name: metrics-server
                image: registry.k8s.io/metrics-server/metrics-server:v0.7.2
                args:
                - --secure-port=10250
                - --cert-dir=/tmp
                - --kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname
                - --metric-resolution=15s
                {{(insecureTls ? "- --kubelet-insecure-tls" : "")}}
                ports:
                - {name: https, containerPort: 10250}
                resources:
                  requests: {cpu: 100m, memory: 200Mi}
        ---
        apiVersion: apiregistration.k8s.io/v1
        kind: APIService
        metadata:
          name: v1beta1.metrics.k8s.io
        spec:
          group: metrics.k8s.io
          version: v1beta1
          groupPriorityMinimum: 100
          versionPriority: 100
          insecureSkipTLSVerify: true
          service: {name: metrics-server, namespace: kube-system, port: 443}
        """;

    public static async Task InstallAsync(TestCluster cluster, bool insecureTls = true)
    {
        cluster.Kubectl.WriteFile("metrics-server.yaml", Manifest(insecureTls));
        var apply = await cluster.Kubectl.RunAsync("apply", "-f", "metrics-server.yaml");
        Assert.True(apply.ExitCode == 0, apply.ToString());
    }
}
