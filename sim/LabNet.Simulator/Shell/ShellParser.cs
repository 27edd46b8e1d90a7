using System.Text;

namespace LabNet.Simulator.Shell;

/// <summary>
/// Reads the bash a provisioner sends: simple commands with quoting and expansions, pipelines, <c>&amp;&amp;</c>,
/// <c>||</c>, <c>;</c>, newlines and line continuations, redirections, here-documents, <c>if</c>, <c>for</c>,
/// <c>while</c>, <c>{ }</c> and <c>( )</c>. Not a full bash: no functions, arrays, arithmetic or case.
/// </summary>
public sealed class ShellParser
{
    private static readonly HashSet<string> Terminators = ["then", "elif", "else", "fi", "do", "done", "}"];

    private readonly string _text;
    private readonly List<Token> _tokens = [];
    private int _pos;
    private int _line = 1;
    private int _next;
    private readonly List<HereDocument> _pendingHereDocs = [];

    private ShellParser(string text)
    {
        _text = text;
    }

    public static SequenceNode Parse(string script)
    {
        var parser = new ShellParser(script);
        parser.Tokenize();
        var sequence = parser.ParseSequence();
        if (parser.Peek().Kind != TokenKind.End)
        {
            throw new ShellSyntaxException($"line {parser.Peek().Line}: syntax error near unexpected token `{parser.Peek().Text}'");
        }

        return sequence;
    }

    /// <summary>The parts of an unquoted here-document's body: expansions and backslash escapes, quotes taken literally.</summary>
    public static ShellWord ParseHereDocumentBody(string body)
    {
        var parser = new ShellParser(body);
        var parts = new List<WordPart>();
        var literal = new StringBuilder();
        while (parser._pos < body.Length)
        {
            var c = body[parser._pos];
            if (c == '\\' && parser._pos + 1 < body.Length && body[parser._pos + 1] is '$' or '`' or '\\')
            {
                literal.Append(body[parser._pos + 1]);
                parser._pos += 2;
                continue;
            }

            if (c is '$' or '`')
            {
                var part = c == '`' ? new CommandSubstitutionPart(parser.ReadBackticks(), true) : parser.ReadDollar(true);
                if (part is null)
                {
                    literal.Append('$');
                    continue;
                }

                if (literal.Length > 0)
                {
                    parts.Add(new LiteralPart(literal.ToString(), true));
                    literal.Clear();
                }

                parts.Add(part);
                continue;
            }

            literal.Append(c);
            parser._pos++;
        }

        if (literal.Length > 0)
        {
            parts.Add(new LiteralPart(literal.ToString(), true));
        }

        return new ShellWord(parts);
    }

    // ---------------------------------------------------------------- tokens

    private enum TokenKind
    {
        Word,
        Operator,
        Newline,
        End,
    }

    private sealed record Token(TokenKind Kind, string Text, int Line, ShellWord? Word = null, int Fd = -1, HereDocument? HereDoc = null);

    private void Tokenize()
    {
        var expectDelimiter = false;
        var stripTabs = false;
        while (true)
        {
            SkipBlanks();
            if (_pos >= _text.Length)
            {
                _tokens.Add(new Token(TokenKind.End, "", _line));
                return;
            }

            var c = _text[_pos];
            if (c == '#')
            {
                while (_pos < _text.Length && _text[_pos] != '\n')
                {
                    _pos++;
                }

                continue;
            }

            if (c == '\n')
            {
                _tokens.Add(new Token(TokenKind.Newline, "\n", _line));
                _pos++;
                _line++;
                ReadHereDocBodies();
                continue;
            }

            var fd = -1;
            var digits = 0;
            while (_pos + digits < _text.Length && char.IsAsciiDigit(_text[_pos + digits]))
            {
                digits++;
            }

            if (digits > 0 && _pos + digits < _text.Length && _text[_pos + digits] is '<' or '>')
            {
                fd = int.Parse(_text.AsSpan(_pos, digits));
                _pos += digits;
                c = _text[_pos];
            }

            var op = ReadOperator();
            if (op is not null)
            {
                _tokens.Add(new Token(TokenKind.Operator, op, _line, Fd: fd));
                if (op is "<<" or "<<-")
                {
                    expectDelimiter = true;
                    stripTabs = op == "<<-";
                }

                continue;
            }

            var startLine = _line;
            var word = ReadWord(out var raw);
            if (expectDelimiter)
            {
                var quoted = word.Parts.Any(p => p.Quoted);
                var delimiter = string.Concat(word.Parts.Select(p => p is LiteralPart l ? l.Text : ""));
                var doc = new HereDocument(delimiter, !quoted, stripTabs);
                _pendingHereDocs.Add(doc);
                _tokens.Add(new Token(TokenKind.Word, raw, startLine, word, HereDoc: doc));
                expectDelimiter = false;
                continue;
            }

            _tokens.Add(new Token(TokenKind.Word, raw, startLine, word));
        }
    }

    private void SkipBlanks()
    {
        while (_pos < _text.Length)
        {
            if (_text[_pos] is ' ' or '\t' or '\r')
            {
                _pos++;
            }
            else if (_text[_pos] == '\\' && _pos + 1 < _text.Length && _text[_pos + 1] == '\n')
            {
                _pos += 2;
                _line++;
            }
            else
            {
                break;
            }
        }
    }

    private string? ReadOperator()
    {
        foreach (var op in new[] { "<<<", "<<-", "&&", "||", ";;", "<<", ">>", ">&", "&>", "<&", ">|", "|", "&", ";", "(", ")", "<", ">" })
        {
            if (string.CompareOrdinal(_text, _pos, op, 0, op.Length) == 0)
            {
                _pos += op.Length;
                return op;
            }
        }

        return null;
    }

    private void ReadHereDocBodies()
    {
        foreach (var doc in _pendingHereDocs)
        {
            var body = new StringBuilder();
            while (_pos < _text.Length)
            {
                var end = _text.IndexOf('\n', _pos);
                var lineText = end < 0 ? _text[_pos..] : _text[_pos..end];
                _pos = end < 0 ? _text.Length : end + 1;
                _line++;
                var compared = doc.StripTabs ? lineText.TrimStart('\t') : lineText;
                if (compared.TrimEnd('\r') == doc.Delimiter)
                {
                    break;
                }

                body.Append(compared).Append('\n');
            }

            doc.Body = body.ToString();
        }

        _pendingHereDocs.Clear();
    }

    private static bool EndsWord(char c) => c is ' ' or '\t' or '\n' or '\r' or ';' or '&' or '|' or '<' or '>' or '(' or ')';

    private ShellWord ReadWord(out string raw)
    {
        var start = _pos;
        var parts = new List<WordPart>();
        var literal = new StringBuilder();

        void FlushLiteral(bool quoted)
        {
            if (literal.Length > 0)
            {
                parts.Add(new LiteralPart(literal.ToString(), quoted));
                literal.Clear();
            }
        }

        while (_pos < _text.Length && !EndsWord(_text[_pos]))
        {
            var c = _text[_pos];
            switch (c)
            {
                case '\\':
                    if (_pos + 1 < _text.Length && _text[_pos + 1] == '\n')
                    {
                        _pos += 2;
                        _line++;
                        break;
                    }

                    FlushLiteral(false);
                    if (_pos + 1 < _text.Length)
                    {
                        parts.Add(new LiteralPart(_text[_pos + 1].ToString(), true));
                    }

                    _pos += 2;
                    break;
                case '\'':
                    FlushLiteral(false);
                    var close = _text.IndexOf('\'', _pos + 1);
                    if (close < 0)
                    {
                        throw new ShellSyntaxException($"line {_line}: unexpected EOF while looking for matching `''");
                    }

                    var quotedText = _text[(_pos + 1)..close];
                    _line += quotedText.Count(ch => ch == '\n');
                    parts.Add(new LiteralPart(quotedText, true));
                    _pos = close + 1;
                    break;
                case '"':
                    FlushLiteral(false);
                    _pos++;
                    ReadDoubleQuoted(parts);
                    break;
                case '$':
                    FlushLiteral(false);
                    parts.Add(ReadDollar(false) ?? new LiteralPart("$", false));
                    break;
                case '`':
                    FlushLiteral(false);
                    parts.Add(new CommandSubstitutionPart(ReadBackticks(), false));
                    break;
                default:
                    literal.Append(c);
                    _pos++;
                    break;
            }
        }

        FlushLiteral(false);
        raw = _text[start.._pos];
        return new ShellWord(parts);
    }

    private void ReadDoubleQuoted(List<WordPart> parts)
    {
        var literal = new StringBuilder();
        while (true)
        {
            if (_pos >= _text.Length)
            {
                throw new ShellSyntaxException($"line {_line}: unexpected EOF while looking for matching `\"'");
            }

            var c = _text[_pos];
            if (c == '"')
            {
                _pos++;
                break;
            }

            if (c == '\\' && _pos + 1 < _text.Length && _text[_pos + 1] is '$' or '`' or '"' or '\\' or '\n')
            {
                if (_text[_pos + 1] != '\n')
                {
                    literal.Append(_text[_pos + 1]);
                }
                else
                {
                    _line++;
                }

                _pos += 2;
                continue;
            }

            if (c == '$' || c == '`')
            {
                var part = c == '`' ? new CommandSubstitutionPart(ReadBackticks(), true) : ReadDollar(true);
                if (part is null)
                {
                    literal.Append('$');
                    continue;
                }

                if (literal.Length > 0)
                {
                    parts.Add(new LiteralPart(literal.ToString(), true));
                    literal.Clear();
                }

                parts.Add(part);
                continue;
            }

            if (c == '\n')
            {
                _line++;
            }

            literal.Append(c);
            _pos++;
        }

        // "" is an empty word, not no word.
        parts.Add(new LiteralPart(literal.ToString(), true));
    }

    private WordPart? ReadDollar(bool quoted)
    {
        // _text[_pos] == '$'
        if (_pos + 1 >= _text.Length)
        {
            _pos++;
            return null;
        }

        var next = _text[_pos + 1];
        if (next == '(')
        {
            if (_pos + 2 < _text.Length && _text[_pos + 2] == '(')
            {
                throw new ShellSyntaxException($"line {_line}: arithmetic expansion is not supported by the LabNet shell");
            }

            var start = _pos + 2;
            var end = MatchingParen(start);
            _pos = end + 1;
            return new CommandSubstitutionPart(_text[start..end], quoted);
        }

        if (next == '{')
        {
            var close = _text.IndexOf('}', _pos + 2);
            if (close < 0)
            {
                throw new ShellSyntaxException($"line {_line}: bad substitution");
            }

            var inner = _text[(_pos + 2)..close];
            _pos = close + 1;
            var op = inner.IndexOf(":-", StringComparison.Ordinal);
            return op > 0 ? new ParameterPart(inner[..op], inner[(op + 2)..], quoted) : new ParameterPart(inner, null, quoted);
        }

        if (next is '?' or '$' or '#' or '@' or '*' or '!' || char.IsAsciiDigit(next))
        {
            _pos += 2;
            return new ParameterPart(next.ToString(), null, quoted);
        }

        if (char.IsAsciiLetter(next) || next == '_')
        {
            var start = _pos + 1;
            var end = start;
            while (end < _text.Length && (char.IsAsciiLetterOrDigit(_text[end]) || _text[end] == '_'))
            {
                end++;
            }

            _pos = end;
            return new ParameterPart(_text[start..end], null, quoted);
        }

        _pos++;
        return null;
    }

    private int MatchingParen(int start)
    {
        var depth = 1;
        var i = start;
        while (i < _text.Length)
        {
            var c = _text[i];
            if (c == '\'')
            {
                i = _text.IndexOf('\'', i + 1);
                if (i < 0)
                {
                    break;
                }
            }
            else if (c == '"')
            {
                i++;
                while (i < _text.Length && _text[i] != '"')
                {
                    i += _text[i] == '\\' ? 2 : 1;
                }
            }
            else if (c == '\\')
            {
                i++;
            }
            else if (c == '(')
            {
                depth++;
            }
            else if (c == ')' && --depth == 0)
            {
                _line += _text[start..i].Count(ch => ch == '\n');
                return i;
            }

            i++;
        }

        throw new ShellSyntaxException($"line {_line}: unexpected EOF while looking for matching `)'");
    }

    private string ReadBackticks()
    {
        var close = _text.IndexOf('`', _pos + 1);
        if (close < 0)
        {
            throw new ShellSyntaxException($"line {_line}: unexpected EOF while looking for matching ``'");
        }

        var inner = _text[(_pos + 1)..close];
        _pos = close + 1;
        return inner;
    }

    // ---------------------------------------------------------------- grammar

    private Token Peek() => _tokens[_next];

    private Token Take() => _tokens[_next++];

    private bool AtKeyword(string keyword) => Peek() is { Kind: TokenKind.Word } t && t.Word!.PlainText == keyword;

    private bool AtTerminator() =>
        Peek().Kind == TokenKind.End ||
        (Peek().Kind == TokenKind.Operator && Peek().Text is ")" or ";;") ||
        (Peek().Kind == TokenKind.Word && Peek().Word!.PlainText is { } text && Terminators.Contains(text));

    private void SkipNewlines()
    {
        while (Peek().Kind == TokenKind.Newline || (Peek().Kind == TokenKind.Operator && Peek().Text == ";"))
        {
            _next++;
        }
    }

    private void Expect(string keyword)
    {
        SkipNewlines();
        if (!AtKeyword(keyword))
        {
            var found = Peek().Kind == TokenKind.End ? "end of file" : $"`{Peek().Text}'";
            throw new ShellSyntaxException($"line {Peek().Line}: syntax error near unexpected token {found} (expected `{keyword}')");
        }

        _next++;
    }

    private SequenceNode ParseSequence()
    {
        var items = new List<ShellNode>();
        var line = Peek().Line;
        while (true)
        {
            SkipNewlines();
            if (AtTerminator())
            {
                break;
            }

            items.Add(ParseAndOr());
            if (Peek().Kind == TokenKind.Operator && Peek().Text is ";" or "&")
            {
                _next++;
            }
            else if (Peek().Kind == TokenKind.Newline)
            {
                _next++;
            }
            else if (!AtTerminator())
            {
                throw new ShellSyntaxException($"line {Peek().Line}: syntax error near unexpected token `{Peek().Text}'");
            }
        }

        return new SequenceNode(line, items);
    }

    private ShellNode ParseAndOr()
    {
        var first = ParsePipeline();
        var rest = new List<(string, ShellNode)>();
        while (Peek().Kind == TokenKind.Operator && Peek().Text is "&&" or "||")
        {
            var op = Take().Text;
            while (Peek().Kind == TokenKind.Newline)
            {
                _next++;
            }

            rest.Add((op, ParsePipeline()));
        }

        return rest.Count == 0 ? first : new AndOrNode(first.Line, first, rest);
    }

    private ShellNode ParsePipeline()
    {
        var negated = false;
        if (AtKeyword("!"))
        {
            _next++;
            negated = true;
        }

        var commands = new List<ShellNode> { ParseCommand() };
        while (Peek().Kind == TokenKind.Operator && Peek().Text == "|")
        {
            _next++;
            while (Peek().Kind == TokenKind.Newline)
            {
                _next++;
            }

            commands.Add(ParseCommand());
        }

        return commands.Count == 1 && !negated ? commands[0] : new PipelineNode(commands[0].Line, commands, negated);
    }

    private ShellNode ParseCommand()
    {
        var line = Peek().Line;
        if (AtKeyword("if"))
        {
            _next++;
            var branches = new List<(ShellNode, ShellNode)>();
            var condition = ParseSequence();
            Expect("then");
            var body = ParseSequence();
            branches.Add((condition, body));
            ShellNode? elseBody = null;
            while (true)
            {
                SkipNewlines();
                if (AtKeyword("elif"))
                {
                    _next++;
                    var c = ParseSequence();
                    Expect("then");
                    branches.Add((c, ParseSequence()));
                    continue;
                }

                if (AtKeyword("else"))
                {
                    _next++;
                    elseBody = ParseSequence();
                }

                Expect("fi");
                break;
            }

            return WithRedirections(new IfNode(line, branches, elseBody));
        }

        if (AtKeyword("for"))
        {
            _next++;
            var variable = Take().Word?.PlainText ?? throw new ShellSyntaxException($"line {line}: syntax error: `for' needs a variable name");
            var items = new List<ShellWord>();
            SkipNewlinesOnly();
            if (AtKeyword("in"))
            {
                _next++;
                while (Peek().Kind == TokenKind.Word)
                {
                    items.Add(Take().Word!);
                }
            }

            Expect("do");
            var body = ParseSequence();
            Expect("done");
            return WithRedirections(new ForNode(line, variable, items, body));
        }

        if (AtKeyword("while") || AtKeyword("until"))
        {
            var until = Take().Word!.PlainText == "until";
            var condition = ParseSequence();
            Expect("do");
            var body = ParseSequence();
            Expect("done");
            return WithRedirections(new WhileNode(line, condition, body, until));
        }

        if (AtKeyword("{"))
        {
            _next++;
            var body = ParseSequence();
            Expect("}");
            return new GroupNode(line, body, false, ParseRedirections());
        }

        if (Peek().Kind == TokenKind.Operator && Peek().Text == "(")
        {
            _next++;
            var body = ParseSequence();
            if (!(Peek().Kind == TokenKind.Operator && Peek().Text == ")"))
            {
                throw new ShellSyntaxException($"line {Peek().Line}: syntax error: expected `)'");
            }

            _next++;
            return new GroupNode(line, body, true, ParseRedirections());
        }

        return ParseSimpleCommand();
    }

    private void SkipNewlinesOnly()
    {
        while (Peek().Kind == TokenKind.Newline || (Peek().Kind == TokenKind.Operator && Peek().Text == ";"))
        {
            _next++;
        }
    }

    private ShellNode WithRedirections(ShellNode node)
    {
        var redirections = ParseRedirections();
        return redirections.Count == 0 ? node : new GroupNode(node.Line, node, false, redirections);
    }

    private List<Redirection> ParseRedirections()
    {
        var list = new List<Redirection>();
        while (Peek().Kind == TokenKind.Operator && IsRedirect(Peek().Text))
        {
            list.Add(ParseRedirection());
        }

        return list;
    }

    private static bool IsRedirect(string op) => op is "<" or ">" or ">>" or "<<" or "<<-" or "<<<" or ">&" or "&>" or "<&" or ">|";

    private Redirection ParseRedirection()
    {
        var op = Take();
        if (Peek().Kind != TokenKind.Word)
        {
            throw new ShellSyntaxException($"line {op.Line}: syntax error near unexpected token `{(Peek().Kind == TokenKind.End ? "newline" : Peek().Text)}'");
        }

        var target = Take();
        var fd = op.Fd >= 0 ? op.Fd : op.Text.StartsWith('<') ? 0 : 1;
        return new Redirection(fd, op.Text, target.Word, target.HereDoc);
    }

    private ShellNode ParseSimpleCommand()
    {
        var line = Peek().Line;
        var assignments = new List<(string, ShellWord)>();
        var words = new List<ShellWord>();
        var redirections = new List<Redirection>();
        while (true)
        {
            var token = Peek();
            if (token.Kind == TokenKind.Operator && IsRedirect(token.Text))
            {
                redirections.Add(ParseRedirection());
                continue;
            }

            if (token.Kind != TokenKind.Word)
            {
                break;
            }

            _next++;
            if (words.Count == 0 && AsAssignment(token.Word!) is { } assignment)
            {
                assignments.Add(assignment);
                continue;
            }

            words.Add(token.Word!);
        }

        if (words.Count == 0 && assignments.Count == 0 && redirections.Count == 0)
        {
            var found = Peek().Kind == TokenKind.End ? "end of file" : Peek().Kind == TokenKind.Newline ? "newline" : Peek().Text;
            throw new ShellSyntaxException($"line {Peek().Line}: syntax error near unexpected token `{found}'");
        }

        return new SimpleCommandNode(line, assignments, words, redirections);
    }

    private static (string, ShellWord)? AsAssignment(ShellWord word)
    {
        if (word.Parts.Count == 0 || word.Parts[0] is not LiteralPart { Quoted: false } first)
        {
            return null;
        }

        var eq = first.Text.IndexOf('=');
        if (eq <= 0)
        {
            return null;
        }

        var name = first.Text[..eq];
        if (!name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || char.IsAsciiDigit(name[0]))
        {
            return null;
        }

        var rest = new List<WordPart>();
        if (eq + 1 < first.Text.Length)
        {
            rest.Add(new LiteralPart(first.Text[(eq + 1)..], false));
        }

        rest.AddRange(word.Parts.Skip(1));
        return (name, new ShellWord(rest));
    }
}
