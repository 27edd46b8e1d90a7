using System.Net.Http.Json;
using LabNet.Simulator.Tests.LabWorld;

namespace LabNet.Simulator.Tests.Guest;

/// <summary>ssh into the VMs and the guest's shell, as the original's ssh_exec / ssh_exec_sudo use them.</summary>
public sealed class SshTests : IAsyncLifetime
{
    private readonly LabWorldFactory _world = new();
    private ToolClient _tools = null!;
    private string _ip = "";

    public async ValueTask InitializeAsync()
    {
        _tools = _world.Tools();
        await _tools.Tart("clone", "ghcr.io/cirruslabs/ubuntu:latest", "vm");
        await _tools.Tart("set", "vm", "--cpu", "2", "--memory", "4096");
        _ = _tools.StartRun("vm", "--no-graphics", "--net-softnet-allow=0.0.0.0/0");
        _ip = (await _tools.Tart("ip", "vm", "--wait", "60")).Stdout.Trim();
    }

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    [Fact]
    public async Task Echo_ok_answers_once_the_vm_is_up()
    {
        Assert.Equal(new ToolResult("ok\n", "", 0), await _tools.Ssh(_ip, "echo ok"));
    }

    [Fact]
    public async Task A_wrong_password_is_refused_like_openssh()
    {
        _tools.Environment["SSHPASS"] = "wrong";

        Assert.Equal(new ToolResult("", "Permission denied, please try again.\n", 255), await _tools.Ssh(_ip, "echo ok"));
    }

    [Fact]
    public async Task Without_a_password_authentication_fails()
    {
        _tools.Environment.Remove("SSHPASS");

        Assert.Equal(new ToolResult("", $"admin@{_ip}: Permission denied (publickey,password).\n", 255), await _tools.Ssh(_ip, "echo ok"));
    }

    [Fact]
    public async Task An_address_nobody_has_times_out_after_ConnectTimeout()
    {
        Assert.Equal(new ToolResult("", "ssh: connect to host 192.168.65.200 port 22: Operation timed out\n", 255), await _tools.Ssh("192.168.65.200", "echo ok"));
    }

    [Fact]
    public async Task Without_StrictHostKeyChecking_no_the_unknown_host_key_is_refused()
    {
        var result = await _tools.RunAsync("ssh", [$"admin@{_ip}", "echo ok"]);

        Assert.Equal(new ToolResult("", "Host key verification failed.\n", 255), result);
    }

    [Fact]
    public async Task Without_LogLevel_ERROR_ssh_warns_that_it_added_the_host_key()
    {
        var result = await _tools.RunAsync("ssh", ["-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", $"admin@{_ip}", "hostname"]);

        Assert.Equal(new ToolResult("ubuntu\n", $"Warning: Permanently added '{_ip}' (ED25519) to the list of known hosts.\n", 0), result);
    }

    [Fact]
    public async Task The_ssh_fails_fault_refuses_connections_the_given_number_of_times()
    {
        using var http = _world.CreateClient();
        (await http.PostAsJsonAsync("/faults", new { kind = "ssh-fails", vm = "vm", count = 2 })).EnsureSuccessStatusCode();

        var refused = $"ssh: connect to host {_ip} port 22: Connection refused\n";
        Assert.Equal(new ToolResult("", refused, 255), await _tools.Ssh(_ip, "echo ok"));
        Assert.Equal(new ToolResult("", refused, 255), await _tools.Ssh(_ip, "echo ok"));
        Assert.Equal(new ToolResult("ok\n", "", 0), await _tools.Ssh(_ip, "echo ok"));
    }

    [Fact]
    public async Task An_unknown_command_fails_like_bash()
    {
        Assert.Equal(new ToolResult("", "bash: line 1: frobnicate: command not found\n", 127), await _tools.Ssh(_ip, "frobnicate --now"));
        Assert.Equal(new ToolResult("", "bash: line 3: frobnicate: command not found\n", 127), await _tools.SshSudo(_ip, "echo one >/dev/null\n\nfrobnicate"));
    }

    [Fact]
    public async Task Set_e_stops_a_script_at_the_first_failure_and_or_lists_do_not()
    {
        var result = await _tools.SshSudo(_ip, "set -e\nfalse || echo recovered\ntrue && false || echo fallback\nls /nope\necho never");

        Assert.Equal("recovered\nfallback\n", result.Stdout);
        Assert.Equal("ls: cannot access '/nope': No such file or directory\n", result.Stderr);
        Assert.Equal(2, result.ExitCode);
    }

    [Fact]
    public async Task Heredocs_write_files_and_variables_expand()
    {
        var result = await _tools.SshSudo(_ip, "NAME=lab\ncat > /etc/demo.conf <<EOF\nname=$NAME\nhome=$HOME\nEOF\ncat <<'RAW' >> /etc/demo.conf\nliteral=$NAME\nRAW\ncat /etc/demo.conf");

        Assert.Equal(new ToolResult("name=lab\nhome=/root\nliteral=$NAME\n", "", 0), result);
    }

    [Fact]
    public async Task Root_files_need_sudo()
    {
        var result = await _tools.Ssh(_ip, "echo x > /etc/nope.conf");

        Assert.Equal(new ToolResult("", "bash: line 1: /etc/nope.conf: Permission denied\n", 1), result);
        Assert.Equal(0, (await _tools.Ssh(_ip, "echo x | sudo tee /etc/yes.conf >/dev/null")).ExitCode);
        Assert.Equal("x\n", (await _tools.Ssh(_ip, "cat /etc/yes.conf")).Stdout);
    }

    [Fact]
    public async Task Swapoff_and_the_fstab_sed_keep_swap_off_across_a_reboot()
    {
        Assert.Equal("NAME      TYPE SIZE USED PRIO\n/swap.img file   4G   0B   -2\n", (await _tools.Ssh(_ip, "swapon --show")).Stdout);

        await _tools.SshSudo(_ip, "swapoff -a && sed -i '/swap/d' /etc/fstab");
        await _tools.Tart("stop", "vm");
        _ = _tools.StartRun("vm", "--no-graphics", "--net-softnet-allow=0.0.0.0/0");
        var ip = (await _tools.Tart("ip", "vm", "--wait", "60", "--resolver", "agent")).Stdout.Trim();

        Assert.Equal(new ToolResult("", "", 0), await _tools.Ssh(ip, "swapon --show"));
    }

    [Fact]
    public async Task Kubeadm_is_not_there_before_its_package_is_installed()
    {
        Assert.Equal(new ToolResult("", "bash: line 1: kubeadm: command not found\n", 127), await _tools.SshSudo(_ip, "kubeadm version"));
    }

    [Fact]
    public async Task Kubernetes_packages_need_the_pkgs_k8s_io_repository()
    {
        var result = await _tools.SshSudo(_ip, "apt-get install -y -qq kubelet kubeadm kubectl");

        Assert.Equal(100, result.ExitCode);
        Assert.Equal("E: Unable to locate package kubelet\nE: Unable to locate package kubeadm\nE: Unable to locate package kubectl\n", result.Stderr);
    }

    [Fact]
    public async Task Kubeadm_preflight_reports_every_missing_piece_at_once()
    {
        // kubeadm from pkgs.k8s.io, but no conntrack, containerd stopped, swap on and no ip_forward.
        await _tools.SshSudo(_ip, """
            curl -fsSL https://pkgs.k8s.io/core:/stable:/v1.31/deb/Release.key | gpg --dearmor -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg
            echo 'deb [signed-by=/etc/apt/keyrings/kubernetes-apt-keyring.gpg] https://pkgs.k8s.io/core:/stable:/v1.31/deb/ /' > /etc/apt/sources.list.d/kubernetes.list
            apt-get update -qq
            apt-get install -y -qq kubelet kubeadm kubectl
            """);

        var init = await _tools.SshSudo(_ip, $"kubeadm init --pod-network-cidr=10.20.0.0/16 --apiserver-advertise-address={_ip} --node-name=dev-master");

        Assert.Equal(1, init.ExitCode);
        Assert.Equal("[init] Using Kubernetes version: v1.31.14\n[preflight] Running pre-flight checks\n\t[WARNING Swap]: swap is supported for cgroup v2 only. The kubelet must be properly configured to use swap. Please refer to https://kubernetes.io/docs/concepts/architecture/nodes/#swap-memory, or disable swap on the node\n", init.Stdout);
        Assert.StartsWith("error execution phase preflight: [preflight] Some fatal errors occurred:\n\t[ERROR CRI]: container runtime is not running", init.Stderr);
        Assert.Contains("\t[ERROR FileExisting-conntrack]: conntrack not found in system path\n", init.Stderr);
        Assert.Contains("\t[ERROR FileContent--proc-sys-net-ipv4-ip_forward]: /proc/sys/net/ipv4/ip_forward contents are not set to 1\n", init.Stderr);
    }

    [Fact]
    public async Task The_pkgs_k8s_io_keyring_cannot_be_dearmored_twice_without_yes()
    {
        const string Script = "curl -fsSL https://pkgs.k8s.io/core:/stable:/v1.31/deb/Release.key | gpg --dearmor -o /etc/apt/keyrings/kubernetes-apt-keyring.gpg";
        Assert.Equal(new ToolResult("", "", 0), await _tools.SshSudo(_ip, Script));

        var again = await _tools.SshSudo(_ip, Script);

        Assert.Equal(2, again.ExitCode);
        Assert.EndsWith("gpg: cannot open '/dev/tty': No such device or address\n", again.Stderr);
    }
}
