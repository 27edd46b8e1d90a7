namespace LabNet.Simulator.Kubeadm;

/// <summary>kubeadm's fixed texts (v1.31).</summary>
public static class KubeadmText
{
    public const string StackTraceHint = "To see the stack trace of this error execute with --v=5 or higher";

    public static string PreflightFailure(IEnumerable<(string Check, string Message)> errors) =>
        "error execution phase preflight: [preflight] Some fatal errors occurred:\n" +
        string.Concat(errors.Select(e => $"\t[ERROR {e.Check}]: {e.Message}\n")) +
        "[preflight] If you know what you are doing, you can make a check non-fatal with `--ignore-preflight-errors=...`\n" +
        StackTraceHint;

    public static string KubeletNotHealthy(TimeSpan waited) =>
        $"""
        [kubelet-check] The kubelet is not healthy after {waited.TotalMinutes:0}m0.000612533s

        Unfortunately, an error has occurred, likely caused by:
        	- The kubelet is not running
        	- The kubelet is unhealthy due to a misconfiguration of the node in some way (required cgroups disabled)

        If you are on a systemd-powered system, you can try to troubleshoot the error with the following commands:
        	- 'systemctl status kubelet'
        	- 'journalctl -xeu kubelet'

        """;

    public static string InitSuccess(string endpoint, string token, string caHash) =>
        $"""

        Your Kubernetes control-plane has initialized successfully!

        To start using your cluster, you need to run the following as a regular user:

          mkdir -p $HOME/.kube
          sudo cp -i /etc/kubernetes/admin.conf $HOME/.kube/config
          sudo chown $(id -u):$(id -g) $HOME/.kube/config

        Alternatively, if you are the root user, you can run:

          export KUBECONFIG=/etc/kubernetes/admin.conf

        You should now deploy a pod network to the cluster.
        Run "kubectl apply -f [podnetwork].yaml" with one of the options listed at:
          https://kubernetes.io/docs/concepts/cluster-administration/addons/

        Then you can join any number of worker nodes by running the following on each as root:

        kubeadm join {endpoint} --token {token} \
        	--discovery-token-ca-cert-hash {caHash} 

        """;

    public const string JoinSuccess =
        """

        This node has joined the cluster:
        * Certificate signing request was sent to apiserver and a response was received.
        * The Kubelet was informed of the new secure connection details.

        Run 'kubectl get nodes' on the control-plane to see this node join the cluster.

        """;

    public const string ResetNotice =
        """

        The reset process does not clean CNI configuration. To do so, you must remove /etc/cni/net.d

        The reset process does not reset or clean up iptables rules or IPVS tables.
        If you wish to reset iptables, you must do so manually by using the "iptables" command.

        If your cluster was setup to utilize IPVS, run ipvsadm --clear (or similar)
        to reset your system's IPVS tables.

        The reset process does not clean your kubeconfig files and you must remove them manually.
        Please, check the contents of the $HOME/.kube/config file.

        """;
}
