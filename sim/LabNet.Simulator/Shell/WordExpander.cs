using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace LabNet.Simulator.Shell;

/// <summary>
/// The shell's word expansions: <c>~</c>, <c>$NAME</c>/<c>${NAME}</c>/<c>${NAME:-default}</c>, the special parameters
/// (<c>$?</c>, <c>$$</c>, <c>$#</c>, <c>$0</c>), command substitution, field splitting of unquoted results, and
/// pathname expansion (<c>*</c>, <c>?</c>) against the host's files.
/// </summary>
internal sealed class WordExpander(ShellInterpreter shell)
{
    /// <summary>A word that stays one field (assignments, redirection targets, here-documents).</summary>
    public async Task<string> ExpandSingleAsync(ShellWord word, ShellIo io)
    {
        var sb = new StringBuilder();
        foreach (var part in word.Parts)
        {
            sb.Append(await ValueOfAsync(part, io, isFirst: sb.Length == 0));
        }

        return sb.ToString();
    }

    /// <summary>Words as a command's arguments: split and globbed where unquoted; an empty unquoted expansion is no field.</summary>
    public async Task<List<string>> ExpandWordsAsync(IEnumerable<ShellWord> words, ShellIo io)
    {
        var result = new List<string>();
        foreach (var word in words)
        {
            var fields = new List<Field>();
            var current = new Field();
            var first = true;
            foreach (var part in word.Parts)
            {
                var value = await ValueOfAsync(part, io, first);
                first = false;
                if (part.Quoted || part is LiteralPart)
                {
                    current.Append(value, part.Quoted);
                    continue;
                }

                var pieces = value.Split([' ', '\t', '\n'], StringSplitOptions.None);
                for (var i = 0; i < pieces.Length; i++)
                {
                    if (i > 0)
                    {
                        if (current.Touched)
                        {
                            fields.Add(current);
                        }

                        current = new Field();
                    }

                    if (pieces[i].Length > 0)
                    {
                        current.Append(pieces[i], false);
                    }
                }
            }

            if (current.Touched)
            {
                fields.Add(current);
            }

            foreach (var field in fields)
            {
                if (field.HasGlob && Glob(field) is { Count: > 0 } matches)
                {
                    result.AddRange(matches);
                }
                else
                {
                    result.Add(field.Text.ToString());
                }
            }
        }

        return result;
    }

    private async Task<string> ValueOfAsync(WordPart part, ShellIo io, bool isFirst)
    {
        switch (part)
        {
            case LiteralPart literal:
                if (!literal.Quoted && isFirst && (literal.Text == "~" || literal.Text.StartsWith("~/", StringComparison.Ordinal)))
                {
                    return shell.Variables.GetValueOrDefault("HOME", "/") + literal.Text[1..];
                }

                return literal.Text;
            case ParameterPart parameter:
                return Parameter(parameter, io);
            case CommandSubstitutionPart substitution:
            {
                var output = new StringWriter();
                shell.LastExitCode = await shell.Fork().RunScriptAsync(substitution.Script, "", output, io.Err);
                return output.ToString().TrimEnd('\n');
            }

            default:
                return "";
        }
    }

    private string Parameter(ParameterPart parameter, ShellIo io)
    {
        var value = parameter.Name switch
        {
            "?" => shell.LastExitCode.ToString(CultureInfo.InvariantCulture),
            "$" => shell.Host.ProcessId.ToString(CultureInfo.InvariantCulture),
            "#" => "0",
            "@" or "*" => "",
            "0" => shell.Dialect.Name,
            _ when char.IsAsciiDigit(parameter.Name[0]) => "",
            _ => shell.Variables.GetValueOrDefault(parameter.Name),
        };

        if (string.IsNullOrEmpty(value) && parameter.Default is not null)
        {
            return parameter.Default;
        }

        if (value is null && shell.NoUnset)
        {
            io.Err.WriteLine(shell.Dialect.UnboundVariable(parameter.Name, 1));
            shell.Exit(1);
        }

        return value ?? "";
    }

    private List<string> Glob(Field field)
    {
        var cwd = shell.WorkingDirectory;
        var relative = !field.Text.ToString().StartsWith('/');
        var prefix = relative ? Regex.Escape(cwd.TrimEnd('/') + "/") : "";
        var regex = new Regex("^" + prefix + field.Pattern + "$");
        var files = shell.Host.Files;
        lock (files.Sync)
        {
            return files.AllPaths
                .Where(p => regex.IsMatch(p))
                .Distinct()
                .Order(StringComparer.Ordinal)
                .Select(p => relative ? p[(cwd.TrimEnd('/').Length + 1)..] : p)
                .ToList();
        }
    }

    /// <summary>One field being built: its text, and the regular expression it is as a glob pattern.</summary>
    private sealed class Field
    {
        public StringBuilder Text { get; } = new();

        public StringBuilder Pattern { get; } = new();

        public bool HasGlob { get; private set; }

        public bool Touched { get; private set; }

        public void Append(string text, bool quoted)
        {
            Touched = true;
            Text.Append(text);
            foreach (var c in text)
            {
                if (!quoted && c is '*' or '?')
                {
                    HasGlob = true;
                    Pattern.Append(c == '*' ? "[^/]*" : "[^/]");
                }
                else
                {
                    Pattern.Append(Regex.Escape(c.ToString()));
                }
            }
        }
    }
}
