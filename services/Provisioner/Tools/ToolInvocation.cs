namespace LabNet.Provisioner.Tools;

/// <summary>One run of a command-line tool.</summary>
/// <param name="Executable">Path or name of the executable.</param>
/// <param name="Arguments">argv after the executable, passed without a shell.</param>
/// <param name="StandardInput">Piped to the process when set (e.g. a script for <c>sudo bash -s</c>).</param>
/// <param name="Environment">Extra environment variables for the process.</param>
/// <param name="Secrets">Values that must never appear in logs, spans or errors: they are replaced with <c>***</c>.</param>
public sealed record ToolInvocation(
    string Executable,
    IReadOnlyList<string> Arguments,
    string? StandardInput = null,
    IReadOnlyDictionary<string, string>? Environment = null,
    IReadOnlyList<string>? Secrets = null)
{
    /// <summary>The command line as a person would type it, with secrets redacted: what logs and spans show.</summary>
    public string DisplayCommandLine => Redact(string.Join(' ', new[] { Path.GetFileName(Executable) }.Concat(Arguments.Select(Quote))));

    public string Redact(string text)
    {
        foreach (var secret in Secrets ?? [])
        {
            if (!string.IsNullOrEmpty(secret))
            {
                text = text.Replace(secret, "***", StringComparison.Ordinal);
            }
        }

        return text;
    }

    private static string Quote(string argument) =>
        argument.Length > 0 && argument.All(c => char.IsLetterOrDigit(c) || "-_./=:,@+%{}".Contains(c))
            ? argument
            : $"'{argument.Replace("'", "'\\''")}'";
}
