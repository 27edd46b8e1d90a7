namespace LabNet.Provisioner.Spec;

/// <summary>
/// The VMs' ssh password. Records print their members, so the value hides behind this type: it never reaches a log,
/// a span or an error message by accident. Only the ssh invocation reads <see cref="Reveal"/>.
/// </summary>
public sealed class SshPassword(string value)
{
    public string Reveal() => value;

    public override string ToString() => "***";
}
