using System.Text.Json.Nodes;

namespace LabNet.Simulator.Helm.Charts;

/// <summary>What installing a chart did: ready now, or failed with the reason its pods give.</summary>
public sealed record ChartRollout(bool Healthy, string? Failure);

/// <summary>
/// A chart the twin can install: its name, versions, default values, the objects it renders, and how its workload
/// behaves once applied (healthy, or crash-looping for a reason the values explain).
/// </summary>
public abstract class HelmChart
{
    public abstract string Name { get; }

    public abstract string Version { get; }

    public abstract string AppVersion { get; }

    /// <summary>The chart's values.yaml (the part this lab's values touch).</summary>
    public abstract JsonObject Defaults();

    /// <summary>Applies the rendered objects to the cluster and reports how the rollout goes.</summary>
    public abstract ChartRollout Apply(ChartContext context);

    /// <summary>What happens once the rollout time has passed (nodes Ready, CiliumNodes...).</summary>
    public virtual void Complete(ChartContext context, ChartRollout rollout)
    {
    }

    /// <summary><c>helm uninstall</c>: deletes what the chart rendered.</summary>
    public virtual void Uninstall(ChartContext context)
    {
        foreach (var (apiVersion, kind, objectNamespace, objectName) in Rendered(context))
        {
            context.Api.Delete(apiVersion, kind, objectNamespace, objectName);
        }
    }

    /// <summary>Objects to delete on uninstall: (apiVersion, kind, namespace, name).</summary>
    public abstract IEnumerable<(string ApiVersion, string Kind, string? Namespace, string Name)> Rendered(ChartContext context);

    public abstract TimeSpan RolloutTime(Clock.ModeledDurations durations);

    public virtual string Notes(ChartContext context) => "";
}
