namespace LabNet.Simulator.Shell;

/// <summary>A piece of a shell word: literal text, a parameter, or a command substitution; quoted or not.</summary>
public abstract record WordPart(bool Quoted);

public sealed record LiteralPart(string Text, bool Quoted) : WordPart(Quoted);

/// <summary><c>$NAME</c>, <c>${NAME}</c> or <c>${NAME:-default}</c>.</summary>
public sealed record ParameterPart(string Name, string? Default, bool Quoted) : WordPart(Quoted);

/// <summary><c>$(...)</c> or backticks: the inner script, run when the word is expanded.</summary>
public sealed record CommandSubstitutionPart(string Script, bool Quoted) : WordPart(Quoted);

public sealed record ShellWord(IReadOnlyList<WordPart> Parts)
{
    /// <summary>The word's text if it is one unquoted literal (keywords, assignment names).</summary>
    public string? PlainText => Parts is [LiteralPart { Quoted: false } literal] ? literal.Text : null;
}

/// <summary>A here-document: its body is read after the line that announced it.</summary>
public sealed class HereDocument(string delimiter, bool expand, bool stripTabs)
{
    public string Delimiter { get; } = delimiter;

    public bool Expand { get; } = expand;

    public bool StripTabs { get; } = stripTabs;

    public string Body { get; set; } = "";
}

/// <summary><c>&gt; file</c>, <c>2&gt;&amp;1</c>, <c>&lt; file</c>, <c>&lt;&lt;EOF</c>, <c>&amp;&gt; file</c>...</summary>
public sealed record Redirection(int Fd, string Operator, ShellWord? Target, HereDocument? HereDocument);

public abstract record ShellNode(int Line);

public sealed record SimpleCommandNode(
    int Line,
    IReadOnlyList<(string Name, ShellWord Value)> Assignments,
    IReadOnlyList<ShellWord> Words,
    IReadOnlyList<Redirection> Redirections) : ShellNode(Line);

public sealed record PipelineNode(int Line, IReadOnlyList<ShellNode> Commands, bool Negated) : ShellNode(Line);

public sealed record AndOrNode(int Line, ShellNode First, IReadOnlyList<(string Operator, ShellNode Node)> Rest) : ShellNode(Line);

public sealed record SequenceNode(int Line, IReadOnlyList<ShellNode> Items) : ShellNode(Line);

public sealed record IfNode(int Line, IReadOnlyList<(ShellNode Condition, ShellNode Body)> Branches, ShellNode? Else) : ShellNode(Line);

public sealed record ForNode(int Line, string Variable, IReadOnlyList<ShellWord> Items, ShellNode Body) : ShellNode(Line);

public sealed record WhileNode(int Line, ShellNode Condition, ShellNode Body, bool Until) : ShellNode(Line);

public sealed record GroupNode(int Line, ShellNode Body, bool Subshell, IReadOnlyList<Redirection> Redirections) : ShellNode(Line);

/// <summary>A script the parser could not read, with bash's message.</summary>
public sealed class ShellSyntaxException(string message) : Exception(message);
