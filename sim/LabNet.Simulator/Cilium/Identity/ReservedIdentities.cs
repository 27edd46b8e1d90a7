using System.Net;
using LabNet.Simulator.Cilium.Labels;

namespace LabNet.Simulator.Cilium.Identity;

/// <summary>Cilium's reserved identities, with their well-known numbers (pkg/identity/numericidentity.go).</summary>
public static class ReservedIdentities
{
    public const uint FirstClusterIdentity = 256;

    /// <summary>Node-local identities (CIDR identities) have the local-scope bit set.</summary>
    public const uint FirstLocalIdentity = (1u << 24) + 1;

    public static readonly SecurityIdentity Host = Reserved(1, "host");
    public static readonly SecurityIdentity World = new(2, new LabelSet([Label.Reserved("world")]), new IPNetwork(IPAddress.Any, 0));
    public static readonly SecurityIdentity Unmanaged = Reserved(3, "unmanaged");
    public static readonly SecurityIdentity Health = Reserved(4, "health");
    public static readonly SecurityIdentity Init = Reserved(5, "init");
    public static readonly SecurityIdentity RemoteNode = Reserved(6, "remote-node");
    public static readonly SecurityIdentity KubeApiServer = Reserved(7, "kube-apiserver");
    public static readonly SecurityIdentity Ingress = Reserved(8, "ingress");

    public static IReadOnlyList<SecurityIdentity> All { get; } =
        [Host, World, Unmanaged, Health, Init, RemoteNode, KubeApiServer, Ingress];

    public static SecurityIdentity For(ReservedEntity entity) => entity switch
    {
        ReservedEntity.Host => Host,
        ReservedEntity.RemoteNode => RemoteNode,
        ReservedEntity.KubeApiServer => KubeApiServer,
        ReservedEntity.Health => Health,
        ReservedEntity.Init => Init,
        ReservedEntity.Ingress => Ingress,
        ReservedEntity.Unmanaged => Unmanaged,
        _ => World,
    };

    private static SecurityIdentity Reserved(uint id, string name) => new(id, new LabelSet([Label.Reserved(name)]));
}

/// <summary>Things that are not pods but that traffic comes from or goes to.</summary>
public enum ReservedEntity
{
    World,
    Host,
    RemoteNode,
    KubeApiServer,
    Health,
    Init,
    Ingress,
    Unmanaged,
}
