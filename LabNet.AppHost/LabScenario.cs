namespace LabNet.AppHost;

/// <summary>What the lab does once the AppHost is up (<c>LabNet:Scenario</c>).</summary>
public enum LabScenario
{
    /// <summary>The whole lab of config/clusters.json is applied at start, as a person would with "Apply lab".</summary>
    Default,

    /// <summary>Nothing is applied until a person asks (dashboard commands or the Provisioner's API).</summary>
    None,

    /// <summary>As Default, and httpbin v2 starts failing once the canary ramps (Progressing), so the canary ends RolledBack. Simulation only.</summary>
    BadCanary,

    /// <summary>As Default, and httpbin v2 turns five times slower (no errors) once the canary ramps, so it ends RolledBack for its latency. Simulation only.</summary>
    SlowCanary,
}
