namespace LabNet.Provisioner.Spec;

/// <summary>What the API shows of a lab spec: everything but the ssh password.</summary>
public sealed record LabSpecView(string File, string BaseImage, string SshUser, bool SshPasswordSet, int VmCount, long MemoryMb, IReadOnlyList<ClusterSpec> Clusters)
{
    public static LabSpecView From(string file, LabSpec spec) => new(
        file,
        spec.BaseImage,
        spec.SshUser,
        spec.SshPassword is not null,
        spec.AllNodes.Count(),
        spec.AllNodes.Sum(n => (long)n.Node.MemoryMb),
        spec.Clusters);
}
