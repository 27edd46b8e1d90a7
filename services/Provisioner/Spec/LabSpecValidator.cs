using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace LabNet.Provisioner.Spec;

/// <summary>
/// The rules a lab spec must satisfy before anything runs: the ones that would otherwise fail minutes later inside
/// tart, kubeadm or Cilium, with a message that is harder to trace back to the file.
/// </summary>
public static partial class LabSpecValidator
{
    /// <summary>kubeadm's NumCPU preflight check for a control plane.</summary>
    public const int MinimumMasterCpu = 2;

    /// <summary>kubeadm's Mem preflight wants 1700 MB; 2 GB leaves room for etcd and the apiserver.</summary>
    public const int MinimumMasterMemoryMb = 2048;

    /// <summary>kube-apiserver refuses a service range with more than 20 host bits.</summary>
    public const int LargestServicePrefix = 12;

    /// <summary>Cilium's cluster-pool hands each node a /24 by default, so the pod range must hold at least one.</summary>
    public const int SmallestPodPrefix = 24;

    public static IReadOnlyList<SpecProblem> Validate(string file, LabSpec spec, HostBudget budget)
    {
        var problems = new List<SpecProblem>();
        void Add(string path, string message, string fix) => problems.Add(new SpecProblem(file, path, message, fix));

        if (spec.Clusters.Count == 0)
        {
            Add("$.clusters", "The lab has no clusters.", "Declare at least one cluster with a master node.");
        }

        var clusterNames = new Dictionary<string, int>(StringComparer.Ordinal);
        var nodeNames = new Dictionary<string, string>(StringComparer.Ordinal);
        var networks = new List<(string Path, IPNetwork Network, string What)>();

        if (TryParseNetwork(budget.VmNetworkCidr, out var vmNetwork, out _))
        {
            networks.Add(("the VM network (Lab:Host:VmNetworkCidr)", vmNetwork, "VM network"));
        }

        for (var c = 0; c < spec.Clusters.Count; c++)
        {
            var cluster = spec.Clusters[c];
            var path = $"$.clusters[{c}]";

            if (!DnsLabel().IsMatch(cluster.Name))
            {
                Add($"{path}.name", $"The cluster name '{cluster.Name}' is not a DNS label; it becomes a kubeconfig file name and a URL segment.",
                    "Use lowercase letters, digits and '-', starting and ending with a letter or digit (at most 63 characters).");
            }
            else if (!clusterNames.TryAdd(cluster.Name, c))
            {
                Add($"{path}.name", $"The cluster name '{cluster.Name}' is already used by $.clusters[{clusterNames[cluster.Name]}].",
                    "Give every cluster its own name.");
            }

            CheckNetwork(cluster.PodCidr, $"{path}.pod_cidr", $"pod CIDR of '{cluster.Name}'", SmallestPodPrefix, isService: false);
            CheckNetwork(cluster.ServiceCidr, $"{path}.service_cidr", $"service CIDR of '{cluster.Name}'", LargestServicePrefix, isService: true);

            if (cluster.Nodes.Count == 0)
            {
                Add($"{path}.nodes", $"Cluster '{cluster.Name}' has no nodes.", "Add one node with \"role\": \"master\".");
            }

            var masters = cluster.Nodes.Select((node, index) => (node, index)).Where(n => n.node.Role == NodeRole.Master).ToList();
            if (masters.Count == 0 && cluster.Nodes.Count > 0)
            {
                Add($"{path}.nodes", $"Cluster '{cluster.Name}' has no master node.", "Set \"role\": \"master\" on exactly one node of this cluster.");
            }
            else if (masters.Count > 1)
            {
                Add($"{path}.nodes[{masters[1].index}].role",
                    $"Cluster '{cluster.Name}' has {masters.Count} masters ({string.Join(", ", masters.Select(m => m.node.Name))}); LabNet builds single-control-plane clusters.",
                    "Keep \"role\": \"master\" on one node and make the others \"worker\".");
            }

            for (var n = 0; n < cluster.Nodes.Count; n++)
            {
                CheckNode(cluster, cluster.Nodes[n], $"{path}.nodes[{n}]");
            }
        }

        var totalMemory = spec.AllNodes.Sum(n => (long)n.Node.MemoryMb);
        if (totalMemory > budget.MemoryMb)
        {
            Add("$.clusters", $"The VMs need {totalMemory} MB of memory in all, more than the host budget of {budget.MemoryMb} MB.",
                "Lower \"memory\" on some nodes, remove nodes, or raise Lab:Host:MemoryMb if the Mac really has more.");
        }

        return problems;

        void CheckNode(ClusterSpec cluster, NodeSpec node, string path)
        {
            if (!DnsLabel().IsMatch(node.Name))
            {
                Add($"{path}.name", $"The node name '{node.Name}' is not a DNS label; it is the VM name, the hostname and the Kubernetes node name.",
                    "Use lowercase letters, digits and '-', starting and ending with a letter or digit (at most 63 characters).");
            }
            else if (!nodeNames.TryAdd(node.Name, path))
            {
                Add($"{path}.name", $"The node name '{node.Name}' is already used at {nodeNames[node.Name]}; Tart VM names are global on the Mac.",
                    "Give every node a unique name, e.g. prefixed with its cluster name.");
            }

            if (node.Cpu <= 0)
            {
                Add($"{path}.cpu", $"Node '{node.Name}' has {node.Cpu} CPUs.", "Give it at least 1 CPU (2 for a master).");
            }
            else if (node.Cpu > budget.CpuCount)
            {
                Add($"{path}.cpu", $"Node '{node.Name}' asks for {node.Cpu} CPUs; the host has {budget.CpuCount}.",
                    $"Use at most {budget.CpuCount} CPUs, or raise Lab:Host:CpuCount if the Mac really has more.");
            }
            else if (node.Role == NodeRole.Master && node.Cpu < MinimumMasterCpu)
            {
                Add($"{path}.cpu", $"Master '{node.Name}' of cluster '{cluster.Name}' has {node.Cpu} CPU; kubeadm's preflight needs at least {MinimumMasterCpu} on a control plane.",
                    $"Set \"cpu\": {MinimumMasterCpu} or more.");
            }

            if (node.MemoryMb <= 0)
            {
                Add($"{path}.memory", $"Node '{node.Name}' has {node.MemoryMb} MB of memory.", "Give it a positive amount in MB, e.g. 4096.");
            }
            else if (node.Role == NodeRole.Master && node.MemoryMb < MinimumMasterMemoryMb)
            {
                Add($"{path}.memory", $"Master '{node.Name}' of cluster '{cluster.Name}' has {node.MemoryMb} MB; a control plane needs at least {MinimumMasterMemoryMb} MB.",
                    $"Set \"memory\": {MinimumMasterMemoryMb} or more (4096 in the original lab).");
            }

            if (node.DiskGb <= 0)
            {
                Add($"{path}.disk", $"Node '{node.Name}' has a disk of {node.DiskGb} GB.", "Give it a positive size in GB, e.g. 20.");
            }
        }

        void CheckNetwork(string cidr, string path, string what, int prefixLimit, bool isService)
        {
            if (!TryParseNetwork(cidr, out var network, out var reason))
            {
                Add(path, $"The {what} '{cidr}' is not a valid IPv4 CIDR: {reason}.", "Write it as a network address and prefix, e.g. 10.20.0.0/16.");
                return;
            }

            if (isService && network.PrefixLength < prefixLimit)
            {
                Add(path, $"The {what} {cidr} is larger than kube-apiserver accepts (at most {32 - prefixLimit} host bits).",
                    $"Use a prefix of /{prefixLimit} or longer, e.g. /16.");
            }
            else if (!isService && network.PrefixLength > prefixLimit)
            {
                Add(path, $"The {what} {cidr} is smaller than one node's /24 pod range.", $"Use a prefix of /{prefixLimit} or shorter, e.g. /16.");
            }

            foreach (var (otherPath, other, otherWhat) in networks)
            {
                if (Overlaps(network, other))
                {
                    Add(path, $"The {what} {cidr} overlaps the {otherWhat} {other} at {otherPath}; packets would be routed to the wrong place.",
                        "Give every pod and service range its own block, disjoint from each other and from the VM network.");
                }
            }

            networks.Add((path, network, what));
        }
    }

    private static bool TryParseNetwork(string cidr, out IPNetwork network, out string reason)
    {
        network = default;
        var slash = cidr.IndexOf('/');
        if (slash < 0)
        {
            reason = "the prefix length (/N) is missing";
            return false;
        }

        if (!IPAddress.TryParse(cidr[..slash], out var address) || address.AddressFamily != AddressFamily.InterNetwork)
        {
            reason = $"'{cidr[..slash]}' is not an IPv4 address";
            return false;
        }

        if (!int.TryParse(cidr[(slash + 1)..], out var prefix) || prefix is < 0 or > 32)
        {
            reason = $"'{cidr[(slash + 1)..]}' is not a prefix length from 0 to 32";
            return false;
        }

        network = new IPNetwork(Masked(address, prefix), prefix);
        if (!network.BaseAddress.Equals(address))
        {
            reason = $"{address} has bits set beyond the /{prefix} prefix (the network address is {network.BaseAddress})";
            return false;
        }

        reason = "";
        return true;
    }

    private static IPAddress Masked(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var bit = prefix; bit < 32; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        return new IPAddress(bytes);
    }

    private static bool Overlaps(IPNetwork a, IPNetwork b) => a.Contains(b.BaseAddress) || b.Contains(a.BaseAddress);

    [GeneratedRegex("^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$")]
    private static partial Regex DnsLabel();
}
