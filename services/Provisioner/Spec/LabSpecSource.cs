using Microsoft.Extensions.Options;

namespace LabNet.Provisioner.Spec;

/// <summary>
/// Reads the lab spec from disk each time it is asked, so a person can fix <c>clusters.json</c> and try again without
/// restarting the Provisioner.
/// </summary>
public sealed class LabSpecSource(IOptions<LabOptions> options)
{
    public string Path => options.Value.SpecPath;

    public Task<LabSpecResult> ReadAsync(CancellationToken cancellationToken)
    {
        var host = options.Value.Host;
        return LabSpecReader.ReadFileAsync(Path, new HostBudget(host.CpuCount, host.MemoryMb, host.VmNetworkCidr), cancellationToken);
    }
}
