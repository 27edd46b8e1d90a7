namespace LabNet.Simulator.Tests.Kubernetes;

/// <summary>Small manifests the tests share: an httpbin Deployment and its HPA as the demo declares them.</summary>
internal static class TestWorkloads
{
    public static string Httpbin(string name = "httpbin", string @namespace = "default", int replicas = 2, string? version = null, bool requests = true)
    {
        var labels = version is null ? "{app: httpbin}" : $"{{app: httpbin, version: {version}}}";
        var resources = requests ? "\n        resources:\n          requests: {cpu: 50m, memory: 64Mi}" : "";
        return $$"""
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: {{name}}, namespace: {{@namespace}}}
            spec:
              replicas: {{replicas}}
              selector:
                matchLabels: {{labels}}
              template:
                metadata:
                  labels: {{labels}}
                spec:
                  containers:
                  - name: httpbin
                    image: kong/httpbin:latest{{resources}}
            """;
    }

    /// <summary>httpbin-hpa of manifests/demo: CPU at 50% of the request, 2 to 6 replicas.</summary>
    public static string HttpbinAutoscaler(string @namespace = "default", string behavior = "") => $$"""
        apiVersion: autoscaling/v2
        kind: HorizontalPodAutoscaler
        metadata: {name: httpbin-hpa, namespace: {{@namespace}}}
        spec:
          scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: httpbin}
          minReplicas: 2
          maxReplicas: 6
          metrics:
          - type: Resource
            resource:
              name: cpu
              target: {type: Utilization, averageUtilization: 50}
        {{behavior}}
        """;
}
