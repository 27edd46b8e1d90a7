using System.Text.Json.Serialization;

namespace LabNet.Provisioner.Tart;

/// <summary>One row of <c>tart list --format json</c> (field names exactly as Tart prints them).</summary>
public sealed record TartListEntry(
    [property: JsonPropertyName("Source")] string Source,
    [property: JsonPropertyName("Name")] string Name,
    [property: JsonPropertyName("State")] string State)
{
    public bool IsLocal => Source == "local";

    public bool IsRunning => State == "running";
}

/// <summary><c>tart get &lt;vm&gt; --format json</c>: the VM's configured resources (Memory in MB, Disk in GB).</summary>
public sealed record TartVmConfig(
    [property: JsonPropertyName("CPU")] int Cpu,
    [property: JsonPropertyName("Memory")] int MemoryMb,
    [property: JsonPropertyName("Disk")] int DiskGb,
    [property: JsonPropertyName("State")] string State)
{
    public bool IsRunning => State == "running";
}
