using LabNet.Simulator.Host;

namespace LabNet.Simulator.Guest.Commands;

/// <summary>Parts of the twin that react when a guest's unit starts or stops (the kubelet brings up static pods).</summary>
public interface IGuestServiceObserver
{
    Task OnServiceChangedAsync(TartVm vm, string service, bool running, CancellationToken cancellationToken);
}
