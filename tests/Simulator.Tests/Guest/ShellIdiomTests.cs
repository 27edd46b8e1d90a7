using LabNet.Simulator.Tests.LabWorld;

namespace LabNet.Simulator.Tests.Guest;

/// <summary>The shell idioms provisioning scripts use, run by the guest's bash.</summary>
public sealed class ShellIdiomTests : IAsyncLifetime
{
    private readonly LabWorldFactory _world = new();
    private ToolClient _tools = null!;
    private string _ip = "";

    public async ValueTask InitializeAsync()
    {
        _tools = _world.Tools();
        await _tools.Tart("clone", "ghcr.io/cirruslabs/ubuntu:latest", "vm");
        _ = _tools.StartRun("vm", "--no-graphics");
        _ip = (await _tools.Tart("ip", "vm", "--wait", "60")).Stdout.Trim();
    }

    public async ValueTask DisposeAsync() => await _world.DisposeAsync();

    [Theory]
    [InlineData("test -f /etc/kubernetes/admin.conf && echo yes || echo no", "no\n")]
    [InlineData("[ -d /etc/apt/keyrings ] && echo dir", "dir\n")]
    [InlineData("command -v kubeadm >/dev/null 2>&1 || echo missing", "missing\n")]
    [InlineData("command -v curl", "/usr/bin/curl\n")]
    [InlineData("echo \"uid=$(id -u) user=$(whoami)\"", "uid=1000 user=admin\n")]
    [InlineData("sudo sh -c 'echo hi > /etc/hi.txt' && cat /etc/hi.txt", "hi\n")]
    [InlineData("export A=1; B=\"$A-2\"; echo ${B}", "1-2\n")]
    [InlineData("echo 'a b c' | awk '{print $2}'", "b\n")]
    [InlineData("echo 'k=v' | cut -d= -f2", "v\n")]
    [InlineData("for n in one two; do echo \"$n\"; done", "one\ntwo\n")]
    [InlineData("if grep -q swap /etc/fstab; then echo has-swap; else echo no-swap; fi", "has-swap\n")]
    [InlineData("printf '%s=%s\\n' key value", "key=value\n")]
    [InlineData("cat <<'EOF' | sudo tee /etc/motd.d >/dev/null\nhello $USER\nEOF\ncat /etc/motd.d", "hello $USER\n")]
    [InlineData("sudo systemctl is-active kubelet || echo inactive", "inactive\ninactive\n")]
    [InlineData("uname -m && hostname", "aarch64\nubuntu\n")]
    [InlineData("echo $HOME; cd /tmp && pwd_is=$(echo ok) && echo $pwd_is", "/home/admin\nok\n")]
    [InlineData("! false && echo negated", "negated\n")]
    [InlineData("(exit 3); echo $?", "3\n")]
    [InlineData("sudo modprobe nosuchmodule; echo $?", "1\n")]
    [InlineData("echo $$; sudo sh -c 'echo $HOME'", "4242\n/root\n")]
    [InlineData("curl -fsSL https://pkgs.k8s.io/core:/stable:/v1.31/deb/Release.key | head -n 1", "-----BEGIN PGP PUBLIC KEY BLOCK-----\n")]
    [InlineData("curl -s -o /dev/null -w '%{http_code}' https://example.com/; echo", "404\n")]
    public async Task Common_idioms_behave_as_in_bash(string script, string expected)
    {
        var result = await _tools.Ssh(_ip, script);

        Assert.Equal(expected, result.Stdout);
    }
}
