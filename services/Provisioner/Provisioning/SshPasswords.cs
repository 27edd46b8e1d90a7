using LabNet.Provisioner.Spec;

namespace LabNet.Provisioner.Provisioning;

internal static class SshPasswords
{
    /// <summary>The secret parameter wins over clusters.json, so the spec file need not carry a password at all.</summary>
    public static SshPassword For(LabOptions options, LabSpec spec) =>
        options.SshPassword is { Length: > 0 } configured ? new SshPassword(configured)
        : spec.SshPassword ?? throw new PermanentStepException(
            "No ssh password: set the AppHost parameter ssh-password (Parameters:ssh-password) or ssh_password in the lab spec.");
}
