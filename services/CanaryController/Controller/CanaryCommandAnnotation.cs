using LabNet.CanaryController.Rollout;

namespace LabNet.CanaryController.Controller;

/// <summary>
/// Operator commands reach the controller as the annotation <c>labnet.io/command: &lt;command&gt;[@&lt;id&gt;]</c> on the
/// Canary (the dashboard's POST writes it; <c>kubectl annotate canary httpbin labnet.io/command=pause@1 --overwrite</c>
/// does the same). The controller handles a value once: it records the value in <c>status.lastCommand</c> in the same
/// status write as the command's result, so a restart neither loses nor repeats it. The <c>@id</c> part makes a
/// repeated command (pause, resume, pause) a new value.
/// </summary>
public static class CanaryCommandAnnotation
{
    public const string Key = "labnet.io/command";

    /// <summary>The words the API and the annotation accept.</summary>
    public static IReadOnlyDictionary<string, CanaryCommand> Words => CanaryCommandRules.Words;

    public static string Format(string word, string id) => $"{word}@{id}";

    /// <summary>The command word of an annotation value (the part before '@'), or null when it is not one of <see cref="Words"/>.</summary>
    public static CanaryCommand? Parse(string value)
    {
        var at = value.IndexOf('@', StringComparison.Ordinal);
        var word = (at < 0 ? value : value[..at]).Trim().ToLowerInvariant();
        return Words.TryGetValue(word, out var command) ? command : null;
    }
}
