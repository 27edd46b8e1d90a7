using LabNet.Simulator.Faults;
using LabNet.Simulator.Guest;
using LabNet.Simulator.Guest.Commands;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Kubeadm;

/// <summary><c>kubeadm token create [--print-join-command]</c> on the control plane.</summary>
internal sealed class KubeadmToken(ClusterApiRegistryAccessor registryAccessor, KubeadmClusters clusters) : KubeadmVerb(registryAccessor, clusters)
{
    public override async Task<int> RunAsync(CommandCall call, List<string> args)
    {
        if (args.FirstOrDefault() != "create")
        {
            return call.Fail($"the LabNet guest's kubeadm token supports 'create' only, not '{args.FirstOrDefault()}'");
        }

        if (KubeadmPreflight.Flags(call, args.Skip(1), new HashSet<string> { "ttl", "kubeconfig", "v", "description", "groups", "usages", "certificate-key", "config" }, new HashSet<string> { "print-join-command", "dry-run" }) is not { } flags)

        {

            return 1;

        }

        var kubeconfig = flags.Get("kubeconfig") ?? "/etc/kubernetes/admin.conf";
        lock (call.Guest.Sync)
        {
            if (!call.Guest.FileExists(kubeconfig))
            {
                return call.Fail($"failed to load admin kubeconfig: open {kubeconfig}: no such file or directory\n{KubeadmText.StackTraceHint}");
            }

            if (!call.CanRead(kubeconfig))
            {
                return call.Fail($"failed to load admin kubeconfig: open {kubeconfig}: permission denied\n{KubeadmText.StackTraceHint}");
            }
        }

        var cluster = Clusters.ByMaster(call.Vm.Name);
        if (cluster is null || !cluster.Api.Availability.Serving)
        {
            await call.Elapse(TimeSpan.FromSeconds(30));
            var reason = cluster?.Api.Availability.Reason ?? "connect: connection refused";
            return call.Fail($"failed to create or update bootstrap token with name bootstrap-token-{call.Mac.Random.Token(6)}: unable to create Secret: Post \"https://{call.Vm.Address}:6443/api/v1/namespaces/kube-system/secrets?timeout=10s\": {reason}\n{KubeadmText.StackTraceHint}");
        }

        var token = flags.Positionals.FirstOrDefault() ?? ClusterRegistration.NewToken(call);
        ClusterRegistration.AddToken(cluster.Api, token, call.Clock.Now);
        call.Out.WriteLine(flags.Has("print-join-command")
            ? $"kubeadm join {cluster.ControlPlaneEndpoint ?? cluster.ServingAddress + ":6443"} --token {token} --discovery-token-ca-cert-hash {cluster.CaHash} "
            : token);
        return 0;
    }
}
