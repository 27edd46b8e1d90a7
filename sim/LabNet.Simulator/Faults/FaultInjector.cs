namespace LabNet.Simulator.Faults;

/// <summary>The faults in force. Each check that fires uses up one of the fault's count.</summary>
public sealed class FaultInjector
{
    private readonly List<Fault> _faults = [];
    private readonly Lock _sync = new();

    public static readonly IReadOnlyDictionary<string, FaultKind> Names = new Dictionary<string, FaultKind>(StringComparer.OrdinalIgnoreCase)
    {
        ["ssh-fails"] = FaultKind.SshFails,
        ["kubeadm-init-fails"] = FaultKind.KubeadmInitFails,
        ["kubeadm-reset-fails"] = FaultKind.KubeadmResetFails,
        ["no-ip"] = FaultKind.NoIpAddress,
        ["new-ip-on-restart"] = FaultKind.NewIpOnRestart,
        ["ssh-agent-keys"] = FaultKind.SshAgentKeys,
        ["apt-lock-at-boot"] = FaultKind.AptLockAtBoot,
        ["ping-loss"] = FaultKind.PingLoss,
        ["api-reset"] = FaultKind.ApiConnectionReset,
        ["api-unavailable"] = FaultKind.ApiUnavailable,
    };

    public static string NameOf(FaultKind kind) => Names.First(n => n.Value == kind).Key;

    public void Add(Fault fault)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(fault.Remaining, 1);
        lock (_sync)
        {
            _faults.Add(fault);
        }
    }

    public IReadOnlyList<Fault> Active
    {
        get
        {
            lock (_sync)
            {
                return [.. _faults];
            }
        }
    }

    public void Clear()
    {
        lock (_sync)
        {
            _faults.Clear();
        }
    }

    /// <summary>True (and counts it) if a fault of this kind applies to the VM now.</summary>
    public bool Fire(FaultKind kind, string vm)
    {
        lock (_sync)
        {
            var index = _faults.FindIndex(f => f.Kind == kind && (f.Vm is null || string.Equals(f.Vm, vm, StringComparison.Ordinal)));
            if (index < 0)
            {
                return false;
            }

            var fault = _faults[index];
            if (fault.Remaining <= 1)
            {
                _faults.RemoveAt(index);
            }
            else
            {
                _faults[index] = fault with { Remaining = fault.Remaining - 1 };
            }

            return true;
        }
    }
}
