
namespace LabNet.Simulator.Host;

/// <summary>Parts of the twin that react when a guest finished booting (its kubelet starts) or powered off.</summary>
public interface IVmLifecycleObserver
{
    /// <summary>The guest booted and has its address (or none, if DHCP never answered).</summary>
    Task OnBootedAsync(TartVm vm, CancellationToken cancellationToken);

    void OnStopped(TartVm vm);

    /// <summary>The VM's disk is gone: <c>tart delete</c>, or <c>tart clone</c> over it.</summary>
    void OnDeleted(TartVm vm);
}
