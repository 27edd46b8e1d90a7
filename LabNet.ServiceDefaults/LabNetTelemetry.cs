namespace Microsoft.Extensions.Hosting;

/// <summary>
/// Every LabNet meter and activity source is named <c>LabNet.&lt;Component&gt;</c>; the wildcard registers them all at once.
/// </summary>
public static class LabNetTelemetry
{
    public const string NamePrefix = "LabNet.";
    public const string AllSources = "LabNet.*";
}
