using LabNet.Simulator.Faults;
using LabNet.Simulator.Guest;
using LabNet.Simulator.Guest.Commands;
using LabNet.Simulator.Kubernetes;

namespace LabNet.Simulator.Kubeadm;

/// <summary><c>kubeadm init phase certs|kubeconfig</c>: one phase of init on its own (certificates renewed for a new address).</summary>
internal sealed class KubeadmInitPhase(ClusterApiRegistryAccessor registryAccessor, KubeadmClusters clusters) : KubeadmVerb(registryAccessor, clusters)
{
    public override async Task<int> RunAsync(CommandCall call, List<string> args)
    {
        if (args.Count == 0 || args[0] is not ("certs" or "kubeconfig"))
        {
            return call.Fail($"the LabNet guest's kubeadm runs the init phases certs and kubeconfig, not \"{args.FirstOrDefault()}\"\n{KubeadmText.StackTraceHint}");
        }

        var group = args[0];
        var phase = args.Count > 1 && !args[1].StartsWith('-') ? args[1] : "all";
        if (KubeadmPreflight.Flags(call, args.Skip(phase == "all" && (args.Count < 2 || args[1].StartsWith('-')) ? 1 : 2), KubeadmInit.InitFlags, KubeadmInit.InitBooleans) is not { } flags)
        {
            return 1;
        }

        if (!call.IsRoot)
        {
            return call.Fail($"error execution phase {group}/{phase}: user is not running as root\n{KubeadmText.StackTraceHint}");
        }

        var vm = call.Vm;
        var cluster = Clusters.ByMaster(vm.Name);
        var nodeName = KubeadmPreflight.NodeNameOf(call, flags);
        var advertise = flags.Get("apiserver-advertise-address") ?? vm.Address ?? "";
        // Without --config, a phase uses kubeadm's defaults, not the cluster's settings.
        var spec = new ControlPlaneSpec(
            nodeName,
            advertise,
            flags.Get("service-cidr") ?? "10.96.0.0/12",
            flags.Get("pod-network-cidr") ?? "",
            KubeadmPreflight.VersionOf(call),
            (flags.Get("apiserver-cert-extra-sans") ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));

        await call.Elapse(call.Durations.KubeadmPhase);
        var now = call.Clock.Now;
        lock (call.Guest.Sync)
        {
            var phases = phase == "all" ? (group == "certs" ? ControlPlaneFiles.CertificatePhases : ControlPlaneFiles.KubeconfigPhases) : [phase];
            foreach (var one in phases)
            {
                string? error;
                if (group == "certs")
                {
                    if (!ControlPlaneFiles.CertificatePhases.Contains(one))
                    {
                        return call.Fail($"error: unknown command \"{one}\" for \"kubeadm init phase certs\"");
                    }

                    error = ControlPlaneFiles.Certificate(call.Guest, one, spec, now, call.Out);
                }
                else
                {
                    if (!ControlPlaneFiles.KubeconfigPhases.Contains(one))
                    {
                        return call.Fail($"error: unknown command \"{one}\" for \"kubeadm init phase kubeconfig\"");
                    }

                    var server = one == "admin" && cluster is not null ? cluster.Api.Server.ToString().TrimEnd('/') : $"https://{advertise}:6443";
                    error = ControlPlaneFiles.Kubeconfig(call.Guest, one, nodeName, server, now, call.Out);
                }

                if (error is not null)
                {
                    return call.Fail($"error execution phase {group}/{one}: {error}\n{KubeadmText.StackTraceHint}");
                }
            }
        }

        return 0;
    }
}
