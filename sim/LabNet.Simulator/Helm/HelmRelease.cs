using System.Text.Json.Nodes;

namespace LabNet.Simulator.Helm;

/// <summary>One revision of a release, as Helm keeps it in a <c>sh.helm.release.v1.NAME.vREV</c> Secret.</summary>
public sealed record HelmRelease(
    string Name,
    string Namespace,
    int Revision,
    string Status,
    string Chart,
    string ChartVersion,
    string AppVersion,
    DateTimeOffset Updated,
    JsonObject UserValues,
    string Description);
