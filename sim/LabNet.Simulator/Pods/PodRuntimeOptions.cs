using System.ComponentModel.DataAnnotations;

namespace LabNet.Simulator.Pods;

/// <summary>How the simulated kubelet runs containers' processes.</summary>
public sealed class PodRuntimeOptions
{
    public const string Section = "Simulator:Pods";

    /// <summary>
    /// The longest a process waits in wall time for one modeled wait (a curl whose SYN is dropped waits ~130 s modeled):
    /// the printed times stay the modeled ones, but nobody waits minutes at the default clock speed.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "Simulator:Pods:MaxRealWait must be between 00:00:00 and 00:10:00.")]
    public TimeSpan MaxRealWait { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>How long a container started with <c>stdin: true</c> (<c>kubectl run -i</c>) waits for kubectl to attach before its process runs.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00", ErrorMessage = "Simulator:Pods:AttachGrace must be between 00:00:00 and 00:10:00.")]
    public TimeSpan AttachGrace { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Lines kept per container log (the kubelet rotates logs; this keeps memory bounded).</summary>
    [Range(10, 1_000_000, ErrorMessage = "Simulator:Pods:LogLines must be between 10 and 1000000.")]
    public int LogLines { get; set; } = 5000;
}
