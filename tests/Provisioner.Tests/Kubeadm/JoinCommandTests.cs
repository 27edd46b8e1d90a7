using LabNet.Provisioner.Kubeadm;

namespace LabNet.Provisioner.Tests.Kubeadm;

public sealed class JoinCommandTests
{
    private const string Hash = "sha256:1f2e3d4c5b6a79880716253443526170f1e2d3c4b5a69788796a5b4c3d2e1f00";

    [Fact]
    public void Parses_the_two_line_join_of_kubeadm_init()
    {
        var output = $"""
            Then you can join any number of worker nodes by running the following on each as root:

            kubeadm join 192.168.65.2:6443 --token abcdef.0123456789abcdef \
            	--discovery-token-ca-cert-hash {Hash} 
            """;

        var join = JoinCommand.Parse(output);

        Assert.Equal(new JoinCommand("192.168.65.2:6443", "abcdef.0123456789abcdef", Hash), join);
    }

    [Fact]
    public void Parses_the_one_line_join_of_token_create()
    {
        var join = JoinCommand.Parse($"kubeadm join 192.168.65.2:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash {Hash} \n");

        Assert.Equal("kubeadm join 192.168.65.2:6443 --token abcdef.0123456789abcdef --discovery-token-ca-cert-hash " + Hash + " --node-name=dev-worker1",
            join!.ForNode("dev-worker1"));
    }

    [Fact]
    public void Output_without_a_join_command_parses_to_nothing()
    {
        Assert.Null(JoinCommand.Parse("error execution phase preflight: [preflight] Some fatal errors occurred:"));
    }
}
