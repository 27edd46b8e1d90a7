namespace LabNet.Simulator.Guest.Commands;

/// <summary>
/// The part of containerd 2's default configuration (config version 3) a kubeadm node cares about: runc's options.
/// containerd 2.0 still prints <c>SystemdCgroup = false</c> there; from 2.1 on it leaves the key out, so a
/// <c>sed s/SystemdCgroup = false/SystemdCgroup = true/</c> finds nothing to change.
/// </summary>
public static class ContainerdConfigV3
{
    public static string Default(bool withSystemdCgroup) => $$"""
        version = 3
        root = '/var/lib/containerd'
        state = '/run/containerd'
        temp = ''
        disabled_plugins = []
        required_plugins = []
        oom_score = 0
        imports = []

        [grpc]
          address = '/run/containerd/containerd.sock'

        [plugins]
          [plugins.'io.containerd.cri.v1.images']
            snapshotter = 'overlayfs'

            [plugins.'io.containerd.cri.v1.images'.pinned_images]
              sandbox = 'registry.k8s.io/pause:3.10'

          [plugins.'io.containerd.cri.v1.runtime']
            enable_selinux = false

            [plugins.'io.containerd.cri.v1.runtime'.containerd]
              default_runtime_name = 'runc'

              [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes]
                [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc]
                  runtime_type = 'io.containerd.runc.v2'

                  [plugins.'io.containerd.cri.v1.runtime'.containerd.runtimes.runc.options]
                    BinaryName = ''
                    NoNewKeyring = false
                    Root = ''
                    ShimCgroup = ''{{(withSystemdCgroup ? "\n            SystemdCgroup = false" : "")}}

            [plugins.'io.containerd.cri.v1.runtime'.cni]
              bin_dir = '/opt/cni/bin'
              conf_dir = '/etc/cni/net.d'

        """;
}
