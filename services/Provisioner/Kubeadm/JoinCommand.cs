using System.Text.RegularExpressions;

namespace LabNet.Provisioner.Kubeadm;

/// <summary>
/// The worker join command. <c>kubeadm init</c> prints it over two lines (a backslash, a newline and a tab);
/// <c>kubeadm token create --print-join-command</c> prints it on one. Both parse to the same thing.
/// </summary>
public sealed partial record JoinCommand(string Endpoint, string Token, string CaCertHash)
{
    public static JoinCommand? Parse(string output)
    {
        var match = Pattern().Match(output);
        return match.Success ? new JoinCommand(match.Groups["endpoint"].Value, match.Groups["token"].Value, match.Groups["hash"].Value) : null;
    }

    /// <summary>The command a worker runs as root, naming itself as the original lab does.</summary>
    public string ForNode(string nodeName) =>
        $"kubeadm join {Endpoint} --token {Token} --discovery-token-ca-cert-hash {CaCertHash} --node-name={nodeName}";

    [GeneratedRegex(@"kubeadm join (?<endpoint>\S+) --token (?<token>[a-z0-9]{6}\.[a-z0-9]{16})\s*\\?\s*--discovery-token-ca-cert-hash (?<hash>sha256:[0-9a-f]{64})")]
    private static partial Regex Pattern();
}
