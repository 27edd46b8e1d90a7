using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace LabNet.Provisioner.Tools;

/// <summary>
/// The <c>Tools</c> section: which executables the Provisioner runs. In simulation the AppHost points these at the
/// simulator's shims; in real mode at the Mac's tart, sshpass, ssh and helm. Nothing else differs.
/// </summary>
public sealed class ToolPathsOptions
{
    public const string Section = "Tools";

    [Required]
    public string Tart { get; set; } = "tart";

    [Required]
    public string Ssh { get; set; } = "ssh";

    /// <summary>Feeds the password to ssh from the SSHPASS environment variable (never from argv, where ps would show it).</summary>
    [Required]
    public string SshPass { get; set; } = "sshpass";

    [Required]
    public string Helm { get; set; } = "helm";

    /// <summary>Extra environment for every tool run (e.g. where the tools find their state). Never secrets: those go per invocation.</summary>
    public Dictionary<string, string> Environment { get; set; } = new(StringComparer.Ordinal);
}

[OptionsValidator]
public sealed partial class ToolPathsOptionsValidator : IValidateOptions<ToolPathsOptions>;
