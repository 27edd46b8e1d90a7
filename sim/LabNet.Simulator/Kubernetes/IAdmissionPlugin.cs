using System.Text.Json.Nodes;

namespace LabNet.Simulator.Kubernetes;

/// <summary>
/// A mutating admission step, as a webhook is in a real cluster (Istio's sidecar injector is the one the lab needs):
/// called for every create and update of an object (from kubectl, the controllers and <see cref="IClusterApi.Apply"/>),
/// after defaulting and before validation. It may change <see cref="AdmissionRequest.Object"/> in place, or reject
/// the request by throwing a <see cref="KubernetesApiException"/> (kubectl shows it as the server's error).
/// </summary>
public interface IAdmissionPlugin
{
    void Admit(AdmissionRequest request);
}

/// <summary>One write under admission: <paramref name="Operation"/> is <c>CREATE</c> or <c>UPDATE</c>; <paramref name="OldObject"/> is null on create.</summary>
public sealed record AdmissionRequest(
    string Operation,
    string ApiVersion,
    string Kind,
    string? Namespace,
    JsonObject Object,
    JsonObject? OldObject,
    IClusterApi Cluster);
