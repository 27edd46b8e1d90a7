namespace LabNet.Simulator.Workloads;

/// <summary>How the lab's applications answer right now (error rate, latency): by pod, else by the pod's version.</summary>
public interface IApplicationBehaviours
{
    VersionBehaviour BehaviourOf(TrafficPod pod);
}
