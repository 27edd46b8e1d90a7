using LabNet.Simulator.Cilium.Labels;

namespace LabNet.Simulator.Cilium.Identity;

/// <summary>
/// The labels Cilium puts in a pod's identity: its own labels (minus the ones Cilium's default label filter drops), its
/// namespace, the namespace's labels, its service account and the cluster name, all with source <c>k8s</c>.
/// </summary>
public static class PodIdentityLabels
{
    // Cilium's default identity-relevant label filter drops these churn-prone labels.
    private static readonly HashSet<string> IgnoredPodLabels =
        ["pod-template-hash", "controller-revision-hash", "pod-template-generation", "controller-uid", "batch.kubernetes.io/controller-uid"];

    public static LabelSet For(PodEndpoint pod, string clusterName)
    {
        var labels = new List<Label>();
        foreach (var (key, value) in pod.Labels)
        {
            if (!IgnoredPodLabels.Contains(key))
            {
                labels.Add(Label.K8s(key, value));
            }
        }

        labels.Add(Label.K8s(IdentityLabelKeys.PodNamespace, pod.Namespace));
        labels.Add(Label.K8s(IdentityLabelKeys.Cluster, clusterName));
        labels.Add(Label.K8s(IdentityLabelKeys.ServiceAccount, pod.ServiceAccount));

        // Kubernetes always labels a namespace with its own name.
        var namespaceLabels = pod.NamespaceLabels ?? new Dictionary<string, string>();
        labels.Add(Label.K8s(IdentityLabelKeys.NamespaceLabelPrefix + "kubernetes.io/metadata.name", pod.Namespace));
        foreach (var (key, value) in namespaceLabels)
        {
            labels.Add(Label.K8s(IdentityLabelKeys.NamespaceLabelPrefix + key, value));
        }

        return new LabelSet(labels);
    }
}
