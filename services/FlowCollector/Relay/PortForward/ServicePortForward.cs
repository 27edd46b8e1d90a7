using k8s;
using k8s.Autorest;
using k8s.Models;

namespace LabNet.FlowCollector.Relay.PortForward;

/// <summary>
/// Opens connections to a Service the way <c>kubectl port-forward svc/NAME PORT</c> does: the Service's selector picks a
/// running pod, the Service port's targetPort (a number, or a container port's name) picks the pod's port, and the
/// Kubernetes API's <c>pods/portforward</c> carries the bytes. The pod is chosen again for every connection, so a
/// restarted relay (a new pod) is found by the next one.
/// </summary>
public sealed class ServicePortForward(KubeconfigClient kubeconfig, RelayServiceOptions service)
{
    public string Description => $"port-forward {service.Namespace}/svc/{service.Name}:{service.Port} ({kubeconfig.Path})";

    public async Task<Stream> OpenAsync(CancellationToken cancellationToken)
    {
        var client = kubeconfig.Current;
        var (pod, port) = await ResolveAsync(client, cancellationToken);
        var socket = await client.WebSocketNamespacedPodPortForwardAsync(pod, service.Namespace, [port], PortForwardStream.Protocol, cancellationToken: cancellationToken);
        return new PortForwardStream(socket);
    }

    private async Task<(string Pod, int Port)> ResolveAsync(IKubernetes client, CancellationToken cancellationToken)
    {
        V1Service svc;
        try
        {
            svc = await client.CoreV1.ReadNamespacedServiceAsync(service.Name, service.Namespace, cancellationToken: cancellationToken);
        }
        catch (HttpOperationException ex) when (ex.Response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            throw new IOException($"services \"{service.Name}\" not found in namespace {service.Namespace} (Hubble's relay is not installed yet)", ex);
        }

        var servicePort = svc.Spec.Ports?.FirstOrDefault(p => p.Port == service.Port)
            ?? throw new IOException($"service {service.Namespace}/{service.Name} has no port {service.Port}");
        if (svc.Spec.Selector is not { Count: > 0 } selector)
        {
            throw new IOException($"service {service.Namespace}/{service.Name} has no selector, so no pod to forward to");
        }

        var pods = await client.CoreV1.ListNamespacedPodAsync(
            service.Namespace,
            labelSelector: string.Join(',', selector.Select(s => $"{s.Key}={s.Value}")),
            cancellationToken: cancellationToken);
        // As kubectl: a running pod, ready ones first.
        var pod = pods.Items
            .Where(p => p.Status?.Phase == "Running" && p.Metadata.DeletionTimestamp is null)
            .OrderByDescending(p => p.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true)
            .FirstOrDefault()
            ?? throw new IOException($"no running pod of service {service.Namespace}/{service.Name} (selector {string.Join(',', selector.Select(s => $"{s.Key}={s.Value}"))})");

        return (pod.Metadata.Name, TargetPort(servicePort, pod));
    }

    private static int TargetPort(V1ServicePort servicePort, V1Pod pod)
    {
        var target = servicePort.TargetPort?.Value;
        if (string.IsNullOrEmpty(target))
        {
            return servicePort.Port;
        }

        if (int.TryParse(target, out var number))
        {
            return number;
        }

        return pod.Spec.Containers.SelectMany(c => c.Ports ?? []).FirstOrDefault(p => p.Name == target)?.ContainerPort
            ?? throw new IOException($"pod {pod.Metadata.Name} has no container port named {target}");
    }
}
