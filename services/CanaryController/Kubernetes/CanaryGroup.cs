namespace LabNet.CanaryController.Kubernetes;

/// <summary>API coordinates of the kinds the controller reads and writes.</summary>
public static class ApiCoordinates
{
    public const string CanaryGroup = "labnet.io";
    public const string CanaryVersion = "v1alpha1";
    public const string CanaryPlural = "canaries";
    public const string CanaryKind = "Canary";

    public const string IstioGroup = "networking.istio.io";
    public const string IstioVersion = "v1beta1";
    public const string VirtualServices = "virtualservices";
    public const string DestinationRules = "destinationrules";

    /// <summary>The component name on Events and in logs.</summary>
    public const string Component = "labnet-canary-controller";
}
