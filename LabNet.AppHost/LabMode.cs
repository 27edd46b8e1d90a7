namespace LabNet.AppHost;

/// <summary>Which world the three services talk to. The services themselves never know: only their configuration differs.</summary>
public enum LabMode
{
    /// <summary>The digital twin: the simulator stands behind the tool shims, the Kubernetes APIs and the Hubble relays.</summary>
    Simulation,

    /// <summary>The real tart, ssh and helm on an Apple-silicon Mac, and the clusters they build.</summary>
    Real,
}
