namespace LabNet.Simulator.Host;

/// <summary>A VM image in an OCI registry, as <c>tart pull</c> finds it.</summary>
public sealed record RemoteImage(
    string Reference,
    string Digest,
    string Os,
    int CpuCount,
    int MemoryMb,
    int DiskGb,
    double CompressedGb,
    double AllocatedGb,
    string Mac);

/// <summary>The registry contents the twin knows: cirruslabs' Linux images (default login admin/admin).</summary>
public static class RemoteImageCatalog
{
    public static readonly IReadOnlyList<RemoteImage> Images =
    [
        new("ghcr.io/cirruslabs/ubuntu:latest", "sha256:6f1f2a1de8e5c6f0b07ad8e3fb3f0b4a4dfb0b7c2c5b7a7c63f5e2a3f6c1b0d9", "linux", 4, 4096, 20, 1.9, 7.431, "7e:b4:1a:0c:5d:e2"),
        new("ghcr.io/cirruslabs/ubuntu:24.04", "sha256:6f1f2a1de8e5c6f0b07ad8e3fb3f0b4a4dfb0b7c2c5b7a7c63f5e2a3f6c1b0d9", "linux", 4, 4096, 20, 1.9, 7.431, "7e:b4:1a:0c:5d:e2"),
        new("ghcr.io/cirruslabs/ubuntu:22.04", "sha256:0b3c4d2e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a3b2c", "linux", 4, 4096, 20, 1.6, 6.912, "7e:b4:1a:0c:5d:e3"),
        new("ghcr.io/cirruslabs/debian:latest", "sha256:a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3", "linux", 4, 4096, 20, 1.2, 5.107, "7e:b4:1a:0c:5d:e4"),
    ];

    public static RemoteImage? Find(string reference) =>
        Images.FirstOrDefault(i => string.Equals(i.Reference, reference, StringComparison.Ordinal));

    /// <summary>Remote names have a registry host (a dot or a colon before the first slash); local VM names have no slash.</summary>
    public static bool LooksRemote(string name) => name.Contains('/');
}
