namespace LabNet.Simulator.Cel;

/// <summary>
/// CEL's grammar (cel-spec's langdef) by recursive descent: the conditional, <c>||</c>, <c>&amp;&amp;</c>, relations
/// (with <c>in</c>), additive, multiplicative and unary operators, member selection, indexing, calls, list and map
/// literals, optional selection (<c>.?</c>, <c>[?</c>), and the macros (<c>has</c>, <c>all</c>, <c>exists</c>,
/// <c>exists_one</c>, <c>map</c>, <c>filter</c>) expanded at parse time as cel-go does.
/// </summary>
public sealed class CelParser
{
    private static readonly HashSet<string> Reserved =
        ["as", "break", "const", "continue", "else", "for", "function", "if", "import", "let", "loop", "package", "namespace", "return", "var", "void", "while"];

    private readonly string _source;
    private readonly List<CelToken> _tokens;
    private int _position;

    private CelParser(string source)
    {
        _source = source;
        _tokens = CelLexer.Tokenize(source);
    }

    public static CelExpr Parse(string source)
    {
        var parser = new CelParser(source);
        var expr = parser.Expression();
        if (parser.Current.Kind != CelTokenKind.End)
        {
            throw parser.Error(parser.Current, $"extraneous input '{parser.Current.Text}' expecting <EOF>");
        }

        return expr;
    }

    private CelToken Current => _tokens[_position];

    private CelToken Next() => _tokens[_position++];

    private bool At(string punctuation) => Current.Kind == CelTokenKind.Punctuation && Current.Text == punctuation;

    private bool Accept(string punctuation)
    {
        if (!At(punctuation))
        {
            return false;
        }

        _position++;
        return true;
    }

    private void Expect(string punctuation)
    {
        if (!Accept(punctuation))
        {
            throw Error(Current, Current.Kind == CelTokenKind.End
                ? $"mismatched input '<EOF>' expecting '{punctuation}'"
                : $"mismatched input '{Current.Text}' expecting '{punctuation}'");
        }
    }

    private CelParseException Error(CelToken token, string message) => CelLexer.Error(_source, token.Position, message);

    private CelExpr Expression()
    {
        var condition = Or();
        if (!Accept("?"))
        {
            return condition;
        }

        var whenTrue = Or();
        Expect(":");
        var whenFalse = Expression();
        return new CelCall(null, "_?_:_", [condition, whenTrue, whenFalse]);
    }

    private CelExpr Or()
    {
        var left = And();
        while (Accept("||"))
        {
            left = new CelCall(null, "_||_", [left, And()]);
        }

        return left;
    }

    private CelExpr And()
    {
        var left = Relation();
        while (Accept("&&"))
        {
            left = new CelCall(null, "_&&_", [left, Relation()]);
        }

        return left;
    }

    private CelExpr Relation()
    {
        var left = Addition();
        while (true)
        {
            string? op = Current switch
            {
                { Kind: CelTokenKind.Punctuation, Text: "<" or "<=" or ">" or ">=" or "==" or "!=" } t => $"_{t.Text}_",
                { Kind: CelTokenKind.Identifier, Text: "in" } => "@in",
                _ => null,
            };
            if (op is null)
            {
                return left;
            }

            _position++;
            left = new CelCall(null, op, [left, Addition()]);
        }
    }

    private CelExpr Addition()
    {
        var left = Multiplication();
        while (At("+") || At("-"))
        {
            var op = Next().Text;
            left = new CelCall(null, $"_{op}_", [left, Multiplication()]);
        }

        return left;
    }

    private CelExpr Multiplication()
    {
        var left = Unary();
        while (At("*") || At("/") || At("%"))
        {
            var op = Next().Text;
            left = new CelCall(null, $"_{op}_", [left, Unary()]);
        }

        return left;
    }

    private CelExpr Unary()
    {
        if (Accept("!"))
        {
            return new CelCall(null, "!_", [Unary()]);
        }

        if (At("-"))
        {
            var next = _tokens[_position + 1];
            if (next.Kind is CelTokenKind.Int or CelTokenKind.Double)
            {
                // A signed literal (the grammar's "-" NUM_INT), so the most negative int can be written.
                _position += 2;
                object value = next.Kind == CelTokenKind.Double
                    ? (object)-(double)next.Value!
                    : (ulong)next.Value! == (ulong)long.MaxValue + 1 ? long.MinValue : -(long)(ulong)next.Value!;
                return MemberSuffixes(new CelLiteral(value));
            }

            _position++;
            return new CelCall(null, "-_", [Unary()]);
        }

        return Member();
    }

    private CelExpr Member() => MemberSuffixes(Primary());

    private CelExpr MemberSuffixes(CelExpr expr)
    {
        while (true)
        {
            if (Accept("."))
            {
                var name = Identifier();
                if (Accept("("))
                {
                    var firstArgument = Current;
                    expr = MemberCall(expr, name, Arguments(")"), firstArgument);
                }
                else
                {
                    expr = new CelSelect(expr, name);
                }
            }
            else if (Accept(".?"))
            {
                expr = new CelSelect(expr, Identifier(), Optional: true);
            }
            else if (Accept("["))
            {
                var optional = Accept("?");
                var index = Expression();
                Expect("]");
                expr = new CelCall(null, optional ? "_[?_]" : "_[_]", [expr, index]);
            }
            else
            {
                return expr;
            }
        }
    }

    private string Identifier()
    {
        var token = Current;
        if (token.Kind != CelTokenKind.Identifier)
        {
            throw Error(token, token.Kind == CelTokenKind.End ? "mismatched input '<EOF>' expecting IDENTIFIER" : $"mismatched input '{token.Text}' expecting IDENTIFIER");
        }

        if (Reserved.Contains(token.Text))
        {
            throw Error(token, $"reserved identifier: {token.Text}");
        }

        _position++;
        return token.Text;
    }

    private CelExpr Primary()
    {
        var token = Current;
        switch (token.Kind)
        {
            case CelTokenKind.Int:
                _position++;
                return (ulong)token.Value! > long.MaxValue
                    ? throw Error(token, $"invalid int literal: {token.Text}")
                    : new CelLiteral((long)(ulong)token.Value!);
            case CelTokenKind.Uint:
            case CelTokenKind.Double:
            case CelTokenKind.String:
            case CelTokenKind.Bytes:
                _position++;
                return new CelLiteral(token.Value!);
            case CelTokenKind.Identifier:
                switch (token.Text)
                {
                    case "true":
                        _position++;
                        return new CelLiteral(true);
                    case "false":
                        _position++;
                        return new CelLiteral(false);
                    case "null":
                        _position++;
                        return new CelLiteral(CelNull.Value);
                }

                var name = Identifier();
                if (Accept("("))
                {
                    return GlobalCall(token, name, Arguments(")"));
                }

                return new CelIdent(name);
            case CelTokenKind.Punctuation when token.Text == ".":
                _position++;
                return Primary();
            case CelTokenKind.Punctuation when token.Text == "(":
            {
                _position++;
                var inner = Expression();
                Expect(")");
                return inner;
            }

            case CelTokenKind.Punctuation when token.Text == "[":
            {
                _position++;
                var elements = new List<CelExpr>();
                var optional = new List<bool>();
                while (!At("]"))
                {
                    optional.Add(Accept("?"));
                    elements.Add(Expression());
                    if (!Accept(","))
                    {
                        break;
                    }
                }

                Expect("]");
                return new CelCreateList(elements, optional);
            }

            case CelTokenKind.Punctuation when token.Text == "{":
            {
                _position++;
                var entries = new List<CelMapEntry>();
                while (!At("}"))
                {
                    var optional = Accept("?");
                    var key = Expression();
                    Expect(":");
                    entries.Add(new CelMapEntry(key, Expression(), optional));
                    if (!Accept(","))
                    {
                        break;
                    }
                }

                Expect("}");
                return new CelCreateMap(entries);
            }

            case CelTokenKind.End:
                throw Error(token, "mismatched input '<EOF>' expecting {'[', '{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}");
            default:
                throw Error(token, $"mismatched input '{token.Text}' expecting {{'[', '{{', '(', '.', '-', '!', 'true', 'false', 'null', NUM_FLOAT, NUM_INT, NUM_UINT, STRING, BYTES, IDENTIFIER}}");
        }
    }

    private List<CelExpr> Arguments(string close)
    {
        var args = new List<CelExpr>();
        while (!At(close))
        {
            args.Add(Expression());
            if (!Accept(","))
            {
                break;
            }
        }

        Expect(close);
        return args;
    }

    private CelExpr GlobalCall(CelToken token, string name, List<CelExpr> args)
    {
        if (name != "has")
        {
            return new CelCall(null, name, args);
        }

        return args is [CelSelect select]
            ? select with { TestOnly = true }
            : throw Error(token, "invalid argument to has() macro");
    }

    private CelExpr MemberCall(CelExpr target, string name, List<CelExpr> args, CelToken firstArgument)
    {
        CelMacroKind? kind = (name, args.Count) switch
        {
            ("all", 2) => CelMacroKind.All,
            ("exists", 2) => CelMacroKind.Exists,
            ("exists_one", 2) => CelMacroKind.ExistsOne,
            ("map", 2 or 3) => CelMacroKind.Map,
            ("filter", 2) => CelMacroKind.Filter,
            _ => null,
        };
        if (kind is null)
        {
            return new CelCall(target, name, args);
        }

        if (args[0] is not CelIdent variable)
        {
            throw Error(firstArgument, "argument must be a simple name");
        }

        return args.Count == 3
            ? new CelMacro(kind.Value, target, variable.Name, args[2], args[1])
            : new CelMacro(kind.Value, target, variable.Name, args[1]);
    }
}
