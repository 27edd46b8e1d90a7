using LabNet.Simulator.Workloads;

namespace LabNet.Simulator.Traffic;

/// <summary>The settings in force; a change is seen by the generator's next tick and the data plane's next request.</summary>
public sealed class TrafficSettingsStore(TrafficSettings initial) : IApplicationBehaviours
{
    private TrafficSettings _current = initial;

    public TrafficSettings Current => Volatile.Read(ref _current);

    public VersionBehaviour BehaviourOf(TrafficPod pod) => Current.BehaviourOf(pod);

    /// <summary>Replaces the settings when they are valid; otherwise changes nothing and returns the problems.</summary>
    public IReadOnlyList<string> TryUpdate(TrafficSettings settings)
    {
        var errors = settings.Validate();
        if (errors.Count == 0)
        {
            Volatile.Write(ref _current, settings);
        }

        return errors;
    }
}
