using LabNet.Provisioner.Spec;

namespace LabNet.Provisioner.Guest;

/// <summary>Where and as whom to log in to a VM.</summary>
public sealed record SshTarget(string VmName, string Address, string User, SshPassword Password);
