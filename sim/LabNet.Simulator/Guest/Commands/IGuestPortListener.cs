using LabNet.Simulator.Host;

namespace LabNet.Simulator.Guest.Commands;

/// <summary>
/// A server the twin models inside the guests beyond sshd and the kubelet (the API server on a control plane), so
/// that <c>nc -z</c> and the like find it listening.
/// </summary>
public interface IGuestPortListener
{
    bool Listens(TartVm vm, int port);
}
